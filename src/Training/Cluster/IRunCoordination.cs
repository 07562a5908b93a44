namespace InverseLearning.Training.Cluster;

/// <summary>
/// Where a run's workers meet, keyed by the run's name. The coordinator opens the run once its
/// shards hold the tables, and releases each epoch once it has validated the one before: the
/// release fixes the epoch's members, the workers heard from lately, among whom its parts are
/// dealt, so a lost worker's parts go to the others from the next epoch on; an opening's first
/// release waits until every worker has joined it. At each epoch's end
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
    /// The coordinator claims the run for <paramref name="workers"/> workers training what
    /// <paramref name="fingerprint"/> describes (data, model, seed, shards), before it puts its
    /// tables into the shards, resumed after epoch <paramref name="resumedAfter"/> (0: from the start), where every
    /// worker must start too. Refused while another coordinator of this name is alive (heard
    /// from within the worker timeout); a resumed coordinator claims it again. Returns the
    /// opening's generation, which the workers' calls carry: a worker of an earlier opening is
    /// refused. <paramref name="opener"/> names the coordinator's process: its open asked again, after an answer lost to a
    /// timeout, gets the opening it made, not a refusal as a second coordinator. <paramref name="lake"/>: the lake parts the
    /// coordinator read, which the opening gives its workers (<see cref="Lake"/>).
    /// </summary>
    [Alias("Open")] Task<int> Open(int workers, TimeSpan workerTimeout, string fingerprint, string opener, int resumedAfter = 0, OpenedLake? lake = null);

    /// <summary>
    /// The lake parts opening <paramref name="generation"/>'s coordinator read, which a worker of a fresh run reads in place of the lake
    /// as it finds it; its <see cref="OpenedLake.Parts"/> null where the opening carries none. Asked apart from <see cref="Opening"/>,
    /// which waiting workers poll: a lake's parts may be thousands.
    /// </summary>
    [Alias("Lake")] Task<OpenedLake> Lake(int generation, int worker);

    /// <summary>The coordinator: the shards hold the tables, workers may join.</summary>
    [Alias("Ready")] Task Ready();

    /// <summary>Of the run's <paramref name="shards"/> shards, those whose snapshot is not in this silo's --state: written into another folder by a silo given another.</summary>
    [Alias("ShardsNotInState")] Task<int[]> ShardsNotInState(int shards);

    /// <summary>The current opening: its workers (0 before any), generation, fingerprint, whether its tables are in the shards, and how long its coordinator has been silent.</summary>
    [Alias("Opening")] Task<RunOpening> Opening();

    /// <summary>
    /// A worker's process <paramref name="process"/> takes index <paramref name="worker"/> of opening <paramref name="generation"/> as it
    /// joins: "" when it holds it, else the one-line refusal. An index is held by one process at a time, so that no share of an epoch
    /// is trained twice; a claim lapses once its process has been silent for the worker timeout (it died) or said it left, and a new
    /// opening (a --resume) starts without claims.
    /// </summary>
    [Alias("Claim")] Task<string> Claim(int generation, int worker, string process);

    /// <summary>
    /// A worker is alive (sent every quarter of the worker timeout, from its start), with the row
    /// updates the shards have acknowledged to it so far, so that a worker lost before it
    /// finishes is still in the run's account; <paramref name="process"/> keeps that process's claim of its index (<see cref="Claim"/>).
    /// Returns the epoch it was declared lost in, or null.
    /// </summary>
    [Alias("Heartbeat")] Task<int?> Heartbeat(int worker, long[] acknowledged, string? process = null);

    /// <summary>
    /// The coordinator starts <paramref name="epoch"/>: its members are fixed (the coordinator and every worker not lost) and returned.
    /// Null while a worker has not joined this opening (<see cref="Claim"/>) before its first epoch: one that never started is not lost.
    /// </summary>
    [Alias("Release")] Task<int[]?> Release(int epoch);

    /// <summary>The workers the opening's first epoch waits for: those that have not joined it yet; empty once it is released.</summary>
    [Alias("NotJoined")] Task<int[]> NotJoined();

    /// <summary>The members of <paramref name="epoch"/>, in part order; null until it is released.</summary>
    [Alias("Members")] Task<int[]?> Members(int generation, int epoch, int worker);

    /// <summary>One member's replicated parameters at the end of <paramref name="epoch"/>.</summary>
    [Alias("Contribute")] Task Contribute(int generation, int epoch, int worker, float[][] values);

    /// <summary>The mean of the members' contributions for <paramref name="epoch"/> once all are in (a lost member's is not waited for), and whether <paramref name="worker"/>'s is in.</summary>
    [Alias("Mean")] Task<MeanReply> Mean(int generation, int epoch, int worker);

    /// <summary>A worker's row updates acknowledged per shard, told when it finishes (the coordinator sums them to tell what lost silos cost).</summary>
    [Alias("Finish")] Task Finish(int worker, long[] acknowledged);

    /// <summary>The acknowledged updates per shard of every finished worker and, for each lost one, as of its last heartbeat; how many finished; the workers lost with the epoch each was lost in.</summary>
    [Alias("Finished")] Task<FinishedReply> Finished();

    /// <summary>
    /// A process of the run stops on Ctrl+C or SIGTERM: it counts as silent past the worker timeout from now, so that a
    /// worker is not waited for, and a coordinator's run may be claimed by its --resume at once and its workers stop.
    /// </summary>
    /// <remarks>A process of an earlier opening (a hung coordinator a --resume replaced) is ignored: it must not end the current one.</remarks>
    [Alias("Leave")] Task Leave(int generation, int worker);

    /// <summary>The run is over: deletes the saved state and lets the activation go; whether there was saved state to delete.</summary>
    [Alias("Drop")] Task<bool> Drop();
}

/// <summary>The mean of an epoch's contributions (null until all are in), and whether the asking worker's contribution is held (false: send it again).</summary>
[GenerateSerializer, Immutable]
public sealed class MeanReply
{
    [Id(0)] public float[][]? Mean { get; init; }
    [Id(1)] public bool HasYours { get; init; }
    /// <summary>The epoch's workers, not lost, whose contribution is not in yet (empty once the mean is).</summary>
    [Id(2)] public int[] Waiting { get; init; } = [];
}

/// <summary>What the workers told at their end: how many finished, their acknowledged updates per shard summed, and the workers lost (worker → epoch).</summary>
[GenerateSerializer, Immutable]
public sealed class FinishedReply
{
    [Id(0)] public int Workers { get; init; }
    [Id(1)] public long[] Acknowledged { get; init; } = [];
    [Id(2)] public Dictionary<int, int> Lost { get; init; } = [];
}

/// <summary>A run's current opening, as a joining or waiting worker checks it.</summary>
[GenerateSerializer, Immutable]
public sealed class RunOpening
{
    [Id(0)] public int Workers { get; init; }
    [Id(1)] public int Generation { get; init; }
    [Id(2)] public string Fingerprint { get; init; } = "";
    [Id(3)] public bool Ready { get; init; }
    /// <summary>Since the coordinator (worker 0) was last heard from, in seconds.</summary>
    [Id(4)] public double CoordinatorSilentSeconds { get; init; }
    [Id(5)] public double WorkerTimeoutSeconds { get; init; }
    /// <summary>The epochs the coordinator had done when it opened the run (a --resume's); its workers start after the same one.</summary>
    [Id(6)] public int ResumedAfter { get; init; }
    /// <summary>Whether the coordinator said it stopped (Ctrl+C, SIGTERM) rather than fell silent.</summary>
    [Id(7)] public bool CoordinatorLeft { get; init; }
    /// <summary>The last epoch the coordinator released in this opening; 0 before the first.</summary>
    [Id(8)] public int Epoch { get; init; }

    /// <summary>Whether the coordinator was heard from within the run's worker timeout: one that died leaves its opening behind, which no worker can finish.</summary>
    public bool CoordinatorAlive => CoordinatorSilentSeconds <= WorkerTimeoutSeconds;
}
