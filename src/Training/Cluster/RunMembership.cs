namespace InverseLearning.Training.Cluster;

/// <summary>
/// A process's membership of its run on the cluster, through the run's <see cref="IRunCoordination"/> meeting point: its
/// heartbeat, a worker's joining of its coordinator's opening, the coordinator's wait for its workers' last word, and a
/// stopped process's leaving.
/// </summary>
internal sealed class RunMembership : IDisposable
{
    private readonly ClusterSettings _settings;
    private readonly string _run;
    private readonly IRunCoordination _coordination;
    private readonly Func<long[]> _acknowledged;
    // The command's cancellation (Ctrl+C, SIGTERM): the waits for the run's opening and its epochs' ends last minutes, and end with it.
    private readonly CancellationToken _stop;
    private Timer? _heartbeat;
    // This process, as its claim of its worker index names it: another started with the same --worker is refused while this one beats.
    private readonly string _process = Guid.NewGuid().ToString("N");

    /// <summary>This process, as its claims name it: a coordinator's opening too, which its asks again after a lost answer carry.</summary>
    public string Process => _process;

    /// <param name="acknowledged">The row updates the shards acknowledged to this process so far, which every beat reports.</param>
    public RunMembership(ClusterSettings settings, string run, IRunCoordination coordination, Func<long[]> acknowledged, CancellationToken stop)
    {
        _settings = settings;
        _run = run;
        _coordination = coordination;
        _acknowledged = acknowledged;
        _stop = stop;
        // A worker's from the start, not only once training: its first pass over a large lake takes minutes. The
        // coordinator's once it holds the run (StartHeartbeat): beating before its claim, it would make the run look
        // held by a live coordinator, itself, and a --resume after its predecessor died could never claim it.
        if (settings.Worker > 0) StartHeartbeat();
    }

    /// <summary>The run's opening this process belongs to (the coordinator's, or the one a worker joined); 0 before either.</summary>
    public int Generation { get; set; }

    /// <summary>The coordinator, once it holds the run: while it is heard from, no other coordinator can claim its --run.</summary>
    public void StartHeartbeat()
    {
        if (_settings.Workers > 1 || _settings.Run is not null)
            _heartbeat ??= new Timer(_ => Beat(), null, TimeSpan.Zero, _settings.EffectiveWorkerTimeout / 4);
    }

    // A worker the run declared lost stops at once: its parts went to the others, and rows it pushed now would overwrite theirs.
    private void Beat()
    {
        if (ClusterFaults.Ask(() => _coordination.Heartbeat(_settings.Worker, _acknowledged(), _process)) is not { } lostIn) return;
        Console.Error.WriteLine($"error: worker {_settings.Worker} was declared lost by run {_run} in epoch {lostIn} (silent for more than --worker-timeout); its parts went to the others");
        Environment.Exit(1);
    }

    /// <summary>
    /// A worker waits for its coordinator's opening with its tables in the shards, and joins it only if it trains the same thing.
    /// An opening whose coordinator died is not joined (no one would release its epochs): the worker waits for a coordinator to open the run again.
    /// </summary>
    public void Join(string fingerprint, int resumedAfter, Action<string>? report)
    {
        var generation = AwaitOpening(o => o.Ready, fingerprint, resumedAfter, report).Generation;
        var claim = Polling.Until(() => ClusterFaults.Ask(() => _coordination.Claim(generation, _settings.Worker, _process)), c => c is not null, _settings.Patience, _stop,
            () => $"worker {_settings.Worker}: run {_run}'s meeting point did not answer within {_settings.Patience.TotalMinutes:F0} minutes");
        if (claim != "") throw new InvalidOperationException(claim);
        Generation = generation;
    }

    /// <summary>
    /// A worker of a fresh run, its data read: the lake parts its coordinator read, once a live coordinator opened the run (its tables
    /// need not be in the shards yet) for the same workers and epoch.
    /// </summary>
    public OpenedLake CoordinatorsLake(Action<string>? report)
    {
        var generation = AwaitOpening(o => o.Workers > 0, fingerprint: null, resumedAfter: 0, report).Generation;
        return Polling.Until(() => ClusterFaults.Ask(() => _coordination.Lake(generation, _settings.Worker)), lake => lake is not null, _settings.Patience, _stop,
            () => $"worker {_settings.Worker}: run {_run}'s meeting point did not answer within {_settings.Patience.TotalMinutes:F0} minutes")!;
    }

    // Told once, however many waits for the opening this worker makes (for the coordinator's lake, then for its tables).
    private bool _toldWaiting;

    /// <summary>
    /// The run's opening once <paramref name="open"/> holds for it and its coordinator is alive; one this worker can never join throws
    /// (a <paramref name="fingerprint"/> of null: its data and flags are not compared yet).
    /// </summary>
    private RunOpening AwaitOpening(Func<RunOpening, bool> open, string? fingerprint, int resumedAfter, Action<string>? report)
    {
        RunOpening? abandoned = null;
        return Polling.Until(() => ClusterFaults.Ask(_coordination.Opening), o => o is not null && open(o) && Joins(o), _settings.Patience, _stop,
            () => abandoned is null
                ? $"worker {_settings.Worker}: run {_run} was not opened for {_settings.Workers} workers within {_settings.Patience.TotalMinutes:F0} minutes; is its coordinator (worker 0) running with the same --workers?"
                : $"worker {_settings.Worker}: run {_run}'s coordinator (worker 0) stopped, and no coordinator opened the run again within {_settings.Patience.TotalMinutes:F0} minutes; start it with --resume",
            meanwhile: _ =>
            {
                if (_toldWaiting || abandoned is not null) return;
                report?.Invoke($"cluster: worker {_settings.Worker}: waiting for run {_run}'s coordinator (worker 0) to open it for {_settings.Workers} workers");
                _toldWaiting = true;
            })!;

        // Whether this worker joins the opening; throws for one it can never join.
        bool Joins(RunOpening opening)
        {
            if (!opening.CoordinatorAlive)
            {
                if (abandoned is null) report?.Invoke($"cluster: worker {_settings.Worker}: run {_run}'s coordinator (worker 0) " +
                    (opening.CoordinatorLeft ? "stopped (Ctrl+C or SIGTERM)" : $"was last heard from {opening.CoordinatorSilentSeconds:F0} s ago") + "; waiting for it to open the run again (--resume)");
                abandoned = opening;
                return false;
            }
            // The epochs' parts are dealt by the coordinator's count: waiting would only run out both sides' patience.
            if (opening.Workers != _settings.Workers)
                throw new InvalidOperationException($"worker {_settings.Worker}: run {_run}'s coordinator opened it for {opening.Workers} workers, and this worker was started with --workers {_settings.Workers}: give every worker the coordinator's --workers");
            if (fingerprint is not null && opening.Fingerprint != fingerprint)
                throw new InvalidOperationException($"worker {_settings.Worker}: run {_run} trains with {PartsNotIn(opening.Fingerprint, fingerprint)}; " +
                    $"this worker with {PartsNotIn(fingerprint, opening.Fingerprint)}: give every worker the coordinator's --data and training flags");
            // A worker behind would wait for an epoch the coordinator has passed, one ahead for epochs it has not reached: both for ever.
            if (opening.ResumedAfter != resumedAfter)
                throw new InvalidOperationException(opening.ResumedAfter > resumedAfter
                    ? $"worker {_settings.Worker}: run {_run}'s coordinator resumed after epoch {opening.ResumedAfter}, and this worker starts {(resumedAfter == 0 ? "from the start" : $"after epoch {resumedAfter}")}: start it with --resume and the coordinator's --out, as the coordinator was"
                    : opening.ResumedAfter == 0
                        ? $"worker {_settings.Worker}: this worker resumes after epoch {resumedAfter}, and run {_run}'s coordinator started from the start: give --resume to both, or to neither"
                        : $"worker {_settings.Worker}: this worker resumes after epoch {resumedAfter}, and run {_run}'s coordinator resumed after epoch {opening.ResumedAfter} and has trained on since: start the coordinator and its workers again with --resume");
            // One started after its run released a later epoch (restarted without --resume) would train the epochs before again, its share of them twice.
            if (opening.Epoch > resumedAfter + 1)
                throw new InvalidOperationException($"worker {_settings.Worker}: run {_run} is in epoch {opening.Epoch}, and this worker would start at epoch {resumedAfter + 1}, " +
                    "training again what the run has: a worker cannot join a run under way; the run goes on without it, or stop the coordinator and start it and its workers again with --resume");
            return true;
        }
    }

    // The parts of a fingerprint ("lr 0.01", "seed 1", "200 items") the other lacks: both whole are some 2,000 characters.
    private static string PartsNotIn(string fingerprint, string other)
    {
        string[] Parts(string f) => f.Split([", ", "; "], StringSplitOptions.None);
        return string.Join(", ", Parts(fingerprint).Except(Parts(other)));
    }

    /// <summary>The other workers' acknowledged updates per shard, once every one not lost finished (they finish with the coordinator's last epoch), and the lost ones.</summary>
    public (long[] Acknowledged, Dictionary<int, int> Lost) WorkersFinished()
    {
        if (_settings.Workers == 1) return ([], []);
        var finished = Polling.Until(() => ClusterFaults.Ask(_coordination.Finished), f => f is not null && f.Workers >= _settings.Workers - 1 - f.Lost.Count,
            TimeSpan.FromMinutes(2), _stop, () => $"run {_run}: not every worker told what it pushed within 2 minutes of the run's end");
        return (finished!.Acknowledged, finished.Lost);
    }

    /// <summary>Stops the heartbeat; a process stopped by its command tells the run it left.</summary>
    public void Dispose()
    {
        _heartbeat?.Dispose();
        // Stopped by Ctrl+C or SIGTERM, not dead: the others need not wait out the worker timeout to know it.
        if (_stop.IsCancellationRequested && Generation > 0 && (_settings.Workers > 1 || _settings.Run is not null))
            ClusterFaults.Done(() => _coordination.Leave(Generation, _settings.Worker));
    }
}
