namespace InverseLearning.Training.Cluster;

/// <summary>
/// What a shard holds: per embedding table (in the store's order, sharded tables only) its row
/// width and how many of its rows this shard owns, and the optimizer's state slots per value.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ShardLayout
{
    [Id(0)] public required int[] Widths { get; init; }
    [Id(1)] public required int[] Rows { get; init; }
    [Id(2)] public required int StateSlots { get; init; }
    /// <summary>Pushes between the shard's own snapshots to disk: what a lost silo costs, at most.</summary>
    [Id(3)] public required int PersistEvery { get; init; }

    public int Tensors => Widths.Length * (1 + StateSlots);
}

/// <summary>Rows of a shard, by their slots in it: per table (layout order), the slots a step reads or writes there (empty where none).</summary>
[GenerateSerializer, Immutable]
public sealed class ShardRows
{
    [Id(0)] public required int[][] Slots { get; init; }

    public long Count => Slots.Sum(s => (long)s.Length);
}

/// <summary>
/// Values of some rows: per table t and slot s (0 the values, s the optimizer state s − 1), at
/// index t·(1 + state slots) + s, the rows of a <see cref="ShardRows"/> one after the other.
/// Slots left out (values only) are empty arrays.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ShardTensors
{
    [Id(0)] public required float[][] Values { get; init; }
}

/// <summary>How a shard stands: row updates applied (reset to the snapshot's count when it was restored from disk), its activations from a snapshot, and its silo.</summary>
[GenerateSerializer, Immutable]
public sealed class ShardStatus
{
    [Id(0)] public long UpdatesApplied { get; init; }
    /// <summary>Times this shard was brought back from its snapshot after its silo was lost.</summary>
    [Id(2)] public int Restores { get; init; }
    [Id(3)] public string Silo { get; init; } = "";
}
