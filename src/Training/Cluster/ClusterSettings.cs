namespace InverseLearning.Training.Cluster;

/// <summary>What the train verb's --cluster asks for: where the cluster is, how many shards the tables are cut into, and how often a shard snapshots.</summary>
/// <param name="Workers">Data-parallel workers training the run (processes; worker 0 coordinates).</param>
/// <param name="Worker">This process's index among them.</param>
/// <param name="Run">The run's name on the cluster, which its workers share; null: a fresh name (a run of one worker, or workers this process starts).</param>
/// <param name="WorkerTimeout">A worker silent this long (no heartbeat) is lost: its parts go to the others from the next epoch on.</param>
public sealed record ClusterSettings(ClusterAddress Address, int Shards, int PersistEvery, TimeSpan RetryFor, int Workers = 1, int Worker = 0, string? Run = null,
    TimeSpan WorkerTimeout = default)
{
    public const int DefaultShards = 8, DefaultPersistEvery = 50, MaxShards = 4096, MaxWorkers = 256, DefaultWorkerTimeoutSeconds = 60,
        MinWorkerTimeoutSeconds = 2, MaxWorkerTimeoutSeconds = 86_400;

    /// <summary>What a run's name is made of (--run, and cluster-run.json's Run): <see cref="IsRunName"/>.</summary>
    public const string RunNameRule = "1 to 64 letters, digits, '-' or '_'";

    /// <summary>Whether <paramref name="run"/> can name a run: it is part of the shards' snapshot file names.</summary>
    public static bool IsRunName(string? run) => run is { Length: > 0 and <= 64 } && run.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public TimeSpan EffectiveWorkerTimeout => WorkerTimeout > TimeSpan.Zero ? WorkerTimeout : TimeSpan.FromSeconds(DefaultWorkerTimeoutSeconds);

    /// <summary>How long a worker waits for the others (an epoch's slowest worker, the coordinator's validation) before it gives up: at least 10 minutes, and twice the worker timeout, so that a lost worker is declared before anyone gives up.</summary>
    public TimeSpan Patience => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, 2 * EffectiveWorkerTimeout.Ticks));
}
