namespace InverseLearning.Training.Cluster;

/// <summary>
/// Where a run's workers meet, keyed by the run's name: the coordinator opens the run once its
/// shards hold the tables, releases each epoch once it has validated the one before, and the
/// workers' replicated parameters are averaged at each epoch's end. Every call returns at once
/// (workers poll), so a long validation never runs into a call's timeout. Its state is saved in
/// the silos' state folder at every change, so it survives the loss of its silo; a contribution
/// that arrived in between is asked for again (<see cref="MeanReply.HasYours"/>).
/// </summary>
[Alias("il.RunCoordination")]
public interface IRunCoordination : IGrainWithStringKey
{
    /// <summary>The coordinator: the shards hold the run's tables, and <paramref name="workers"/> workers train it. Forgets any earlier run of this name.</summary>
    [Alias("Open")] Task Open(int workers);

    /// <summary>The workers the run was opened for; 0 until it is open.</summary>
    [Alias("Workers")] Task<int> Workers();

    [Alias("Release")] Task Release(int epoch);

    /// <summary>The latest epoch the coordinator released.</summary>
    [Alias("Released")] Task<int> Released();

    /// <summary>One worker's replicated parameters at the end of <paramref name="epoch"/>.</summary>
    [Alias("Contribute")] Task Contribute(int epoch, int worker, float[][] values);

    /// <summary>The mean of every worker's contribution for <paramref name="epoch"/> once all have contributed, and whether <paramref name="worker"/>'s is in.</summary>
    [Alias("Mean")] Task<MeanReply> Mean(int epoch, int worker);

    /// <summary>A worker's row updates acknowledged per shard, told when it finishes (the coordinator sums them to tell what lost silos cost).</summary>
    [Alias("Finish")] Task Finish(int worker, long[] acknowledged);

    /// <summary>The run is over: deletes the saved state and lets the activation go.</summary>
    [Alias("Drop")] Task Drop();

    /// <summary>Every finished worker's acknowledged updates per shard, and how many workers finished.</summary>
    [Alias("Finished")] Task<(int Workers, long[] Acknowledged)> Finished();
}

/// <summary>The mean of an epoch's contributions (null until all are in), and whether the asking worker's contribution is held (false: send it again).</summary>
[GenerateSerializer, Immutable]
public sealed class MeanReply
{
    [Id(0)] public float[][]? Mean { get; init; }
    [Id(1)] public bool HasYours { get; init; }
}
