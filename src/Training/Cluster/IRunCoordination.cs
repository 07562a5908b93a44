namespace InverseLearning.Training.Cluster;

/// <summary>
/// Where a run's workers meet, keyed by the run's name: the coordinator opens the run once its
/// shards hold the tables, releases each epoch once it has validated the one before, and the
/// workers' replicated parameters are averaged at each epoch's end. Every call returns at once
/// (workers poll), so a long validation never runs into a call's timeout.
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

    /// <summary>The mean of every worker's contribution for <paramref name="epoch"/>, once all have contributed; null before.</summary>
    [Alias("Mean")] Task<float[][]?> Mean(int epoch);

    /// <summary>A worker's row updates acknowledged per shard, told when it finishes (the coordinator sums them to tell what lost silos cost).</summary>
    [Alias("Finish")] Task Finish(int worker, long[] acknowledged);

    /// <summary>Every finished worker's acknowledged updates per shard, and how many workers finished.</summary>
    [Alias("Finished")] Task<(int Workers, long[] Acknowledged)> Finished();
}
