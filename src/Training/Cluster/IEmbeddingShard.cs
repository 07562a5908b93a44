namespace InverseLearning.Training.Cluster;

/// <summary>
/// One shard of a run's embedding tables: the rows whose raw ids hash to it (<see cref="ShardMap"/>),
/// with their optimizer state. Keyed "run/shard". A worker's step pulls its rows from each
/// owning shard in one call and pushes the updated rows back in one; whole tables are read and
/// written only by checkpoints, evaluation and export. The shard snapshots itself to disk every
/// few pushes and when it is deactivated (a silo shutting down, an idle grain collected), so a
/// lost silo costs the updates since the last snapshot and a stopped one costs none; the shard
/// comes back from the snapshot on another silo at its next call.
/// </summary>
[Alias("il.EmbeddingShard")]
public interface IEmbeddingShard : IGrainWithStringKey
{
    /// <summary>Holds these tables from now on (optimizer state zero), replacing whatever the key held; snapshots at once.</summary>
    [Alias("Create")] Task Create(ShardLayout layout, float[][] initialValues);

    /// <summary>The rows' values, and their optimizer state when <paramref name="withState"/>.</summary>
    [Alias("Pull")] Task<ShardTensors> Pull(ShardRows rows, bool withState);

    /// <summary>Writes the rows' new values (and state when <paramref name="keepState"/>); returns the row updates applied so far.</summary>
    [Alias("Push")] Task<long> Push(ShardRows rows, ShardTensors updated, bool keepState);

    /// <summary>A whole tensor of a table's rows held here, in slot order (slot as in <see cref="ShardTensors"/>).</summary>
    [Alias("Read")] Task<float[]> Read(int table, int slot);

    [Alias("Write")] Task Write(int table, int slot, float[] values);

    [Alias("ResetOptimizer")] Task ResetOptimizer();

    /// <summary>Copies its rows and their state aside as the run's best so far (id <paramref name="id"/>), and snapshots.</summary>
    [Alias("KeepBest")] Task KeepBest(long id);

    /// <summary>Puts the best copy <paramref name="id"/> back, and snapshots; refused when a later copy replaced it.</summary>
    [Alias("RestoreBest")] Task RestoreBest(long id);

    [Alias("Status")] Task<ShardStatus> Status();

    /// <summary>The run is over: deletes the snapshot and lets the activation go, its rows with it; whether there was a snapshot to delete.</summary>
    [Alias("Drop")] Task<bool> Drop();
}
