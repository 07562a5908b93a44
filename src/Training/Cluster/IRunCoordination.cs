namespace InverseLearning.Training.Cluster;

/// <summary>
/// Where a run's workers meet, keyed by the run's name. The coordinator opens the run once its
/// shards hold the tables, and releases each epoch once it has validated the one before: the
/// release fixes the epoch's members, the workers heard from lately, among whom its parts are
/// dealt, so a lost worker's parts go to the others from the next epoch on. At each epoch's end
/// the members' replicated parameters are averaged; a member silent for longer than the run's
/// worker timeout is declared lost instead of waited for. Every call returns at once (workers
/// poll and send heartbeats), so a long validation never runs into a call's timeout. Its state
/// is saved in the silos' state folder at every change, so it survives the loss of its silo;
/// a contribution that arrived in between is asked for again (<see cref="MeanReply.HasYours"/>).
/// </summary>
[Alias("il.RunCoordination")]
public interface IRunCoordination : IGrainWithStringKey
{
    /// <summary>
    /// The coordinator: the shards hold the run's tables and <paramref name="workers"/> workers
    /// train it; forgets any earlier opening of this name (a resumed coordinator opens it again).
    /// Returns the opening's generation, which the workers' calls carry: a worker of an earlier
    /// opening is refused.
    /// </summary>
    [Alias("Open")] Task<int> Open(int workers, TimeSpan workerTimeout);

    /// <summary>The workers the run was opened for (0 until it is) and the opening's generation.</summary>
    [Alias("Opening")] Task<(int Workers, int Generation)> Opening();

    /// <summary>A worker is alive (sent every quarter of the worker timeout while it trains).</summary>
    [Alias("Heartbeat")] Task Heartbeat(int worker);

    /// <summary>The coordinator starts <paramref name="epoch"/>: its members are fixed (the coordinator and every worker not lost) and returned.</summary>
    [Alias("Release")] Task<int[]> Release(int epoch);

    /// <summary>The members of <paramref name="epoch"/>, in part order; null until it is released.</summary>
    [Alias("Members")] Task<int[]?> Members(int generation, int epoch, int worker);

    /// <summary>One member's replicated parameters at the end of <paramref name="epoch"/>.</summary>
    [Alias("Contribute")] Task Contribute(int generation, int epoch, int worker, float[][] values);

    /// <summary>The mean of the members' contributions for <paramref name="epoch"/> once all are in (a lost member's is not waited for), and whether <paramref name="worker"/>'s is in.</summary>
    [Alias("Mean")] Task<MeanReply> Mean(int generation, int epoch, int worker);

    /// <summary>A worker's row updates acknowledged per shard, told when it finishes (the coordinator sums them to tell what lost silos cost).</summary>
    [Alias("Finish")] Task Finish(int worker, long[] acknowledged);

    /// <summary>Every finished worker's acknowledged updates per shard, how many finished, and the workers lost with the epoch each was lost in.</summary>
    [Alias("Finished")] Task<FinishedReply> Finished();

    /// <summary>The run is over: deletes the saved state and lets the activation go.</summary>
    [Alias("Drop")] Task Drop();
}

/// <summary>The mean of an epoch's contributions (null until all are in), and whether the asking worker's contribution is held (false: send it again).</summary>
[GenerateSerializer, Immutable]
public sealed class MeanReply
{
    [Id(0)] public float[][]? Mean { get; init; }
    [Id(1)] public bool HasYours { get; init; }
}

/// <summary>What the workers told at their end: how many finished, their acknowledged updates per shard summed, and the workers lost (worker → epoch).</summary>
[GenerateSerializer, Immutable]
public sealed class FinishedReply
{
    [Id(0)] public int Workers { get; init; }
    [Id(1)] public long[] Acknowledged { get; init; } = [];
    [Id(2)] public Dictionary<int, int> Lost { get; init; } = [];
}
