using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// <see cref="IEpochSync"/> through a run's <see cref="IRunCoordination"/> grain, in the opening <paramref name="generation"/> says (known once the store is made): workers poll it
/// (every 20 ms) for the coordinator's release of an epoch and for the mean of the replicated
/// parameters. A worker stops as soon as its coordinator has been silent past the run's worker
/// timeout (it died) or has opened the run again; otherwise all give up after <paramref name="patience"/>
/// without news (a lost worker is the meeting point's to declare), naming what they waited for. Every <paramref name="progressEvery"/>
/// (default <see cref="ProgressEvery"/>) of a wait at an epoch's end, or of the coordinator's wait for its workers to join before the
/// opening's first epoch, <paramref name="report"/> is told the workers still waited for. That wait stops at once when a worker
/// <paramref name="started"/> (those this process started, once it has) has ended before joining.
/// </summary>
public sealed class ClusterEpochSync(IRunCoordination run, Func<int> generation, int worker, int workers, TimeSpan patience, CancellationToken stop = default,
    Action<string>? report = null, TimeSpan? progressEvery = null, Func<IStartedWorkers?>? started = null) : IEpochSync
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>How often a wait at an epoch's end or for the workers to join says whom it waits for: it is otherwise silent for the whole --worker-timeout or patience.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    public int Worker => worker;
    public int Workers => workers;

    public (int Part, int Parts) BeforeEpoch(int epoch)
    {
        int[]? members = null;
        if (worker == 0) WaitUntil(() => (members = ClusterFaults.Ask(() => run.Release(epoch))) is not null, $"the cluster to release epoch {epoch}",
            () => ClusterFaults.Ask(run.NotJoined) ?? [], "not joined yet", $"(start each with --worker I --run {run.GetPrimaryKeyString()})", NeverJoined, RequireStartedAlive);
        else WaitUntil(() => (members = ClusterFaults.Ask(() => run.Members(generation(), epoch, worker))) is not null, $"the coordinator to start epoch {epoch}");
        var part = Array.IndexOf(members!, worker);
        return part >= 0 ? (part, members!.Length)
            : throw new IOException($"worker {worker} is not among epoch {epoch}'s workers: the run declared it lost and gave its parts to the others");
    }

    public void AfterEpoch(int epoch, IParameterStore store)
    {
        var replicated = Enumerable.Range(0, store.Parameters.Count).Where(k => store.Parameters[k].BoundWhole).ToList();
        var values = replicated.Select(k =>
        {
            var v = new float[store.Parameters[k].Length];
            store.Read(k, 0, v);
            return v;
        }).ToArray();
        float[][]? mean = null;
        var sent = false;
        int[] waiting = [];
        WaitUntil(() =>
        {
            // Sent again when the meeting point lost it (its silo died before it was saved).
            if (!sent) sent = ClusterFaults.Done(() => run.Contribute(generation(), epoch, worker, values));
            var reply = ClusterFaults.Ask(() => run.Mean(generation(), epoch, worker));
            if (reply is { HasYours: false }) sent = false;
            waiting = reply?.Waiting ?? waiting;
            return (mean = reply?.Mean) is not null;
        }, $"every worker to finish epoch {epoch}", () => waiting, "not in yet", "(one unheard for --worker-timeout is counted lost and no longer waited for)");
        for (var i = 0; i < replicated.Count; i++) store.Write(replicated[i], 0, mean![i]);
    }

    // Every progressEvery, the workers waitingFor names are reported as `state` ("not in yet") with `note` (what comes of them); past the
    // patience, `timedOut` may say more than the wait's own line, given whom it still waited for.
    // `check` is called between asks, and ends the wait by throwing.
    private void WaitUntil(Func<bool> done, string what, Func<int[]>? waitingFor = null, string state = "", string note = "", Func<int[], string?>? timedOut = null,
        Action? check = null)
    {
        var checkedCoordinator = System.Diagnostics.Stopwatch.StartNew();
        var told = System.Diagnostics.Stopwatch.StartNew();
        Polling.Until(done, finished => finished, patience, stop,
            () => (waitingFor is null ? null : timedOut?.Invoke(waitingFor())) ?? $"worker {worker}: waited {patience.TotalSeconds:F0} s for {what}; is every worker of the run running?", Poll, waited =>
        {
            // Asked only when a line is due: a wait polls every 20 ms.
            if (report is not null && told.Elapsed >= (progressEvery ?? ProgressEvery) && waitingFor?.Invoke() is { Length: > 0 } waiting)
            {
                report($"cluster: worker {worker}: waited {waited.TotalSeconds:F0} s for {what}; {state}: {Listed(waiting)} {note}");
                told.Restart();
            }
            check?.Invoke();
            if (worker > 0 && checkedCoordinator.Elapsed >= CoordinatorCheck)
            {
                RequireCoordinator(what);
                checkedCoordinator.Restart();
            }
        });
    }

    private static string Listed(int[] listed) => $"{(listed.Length == 1 ? "worker" : "workers")} {string.Join(", ", listed)}";

    // The coordinator's wait for its opening's first release ends, past the patience, naming the workers that never joined and what to do.
    private string? NeverJoined(int[] notJoined) => notJoined.Length == 0 ? null
        : $"run {run.GetPrimaryKeyString()}: {Listed(notJoined)} of its {workers} never joined within {patience.TotalSeconds:F0} s, and a worker that never started " +
          $"is not lost but waited for: start each with --worker I --run {run.GetPrimaryKeyString()} and this run's other flags, or train again with the --workers you mean";

    // A started worker's process that ended is seen here cheaply; the meeting point is asked only then whether it had joined.
    private void RequireStartedAlive()
    {
        if (started?.Invoke() is not { Ended.Count: > 0 } local) return;
        var dead = (ClusterFaults.Ask(run.NotJoined) ?? []).Intersect(local.Ended).ToArray();
        if (dead.Length == 0) return;
        throw new IOException($"run {run.GetPrimaryKeyString()}: worker {dead[0]}, started by --spawn-workers, ended before it joined ({local.HowEnded(dead[0])}); " +
            "the others were stopped: mend what it says and train again");
    }

    private static readonly TimeSpan CoordinatorCheck = TimeSpan.FromSeconds(1);

    // Only the coordinator releases epochs, and a resumed one opens the run afresh: a worker whose coordinator stopped or was replaced can never finish its epoch, so it says so now rather than after its patience.
    private void RequireCoordinator(string what)
    {
        if (ClusterFaults.Ask(run.Opening) is not { } opening) return;
        if (opening.Generation != generation())
            throw new IOException($"worker {worker}: while waiting for {what}, the run's coordinator opened it again (opening {opening.Generation}, this worker joined {generation()}); start this worker again");
        if (opening.CoordinatorLeft)
            throw new IOException($"worker {worker}: while waiting for {what}, the run's coordinator (worker 0) stopped (Ctrl+C or SIGTERM): start it again with --resume, then this worker with --resume too");
        if (!opening.CoordinatorAlive)
            throw new IOException($"worker {worker}: while waiting for {what}, the run's coordinator (worker 0) was last heard from {opening.CoordinatorSilentSeconds:F0} s ago, " +
                $"past the run's worker timeout ({opening.WorkerTimeoutSeconds:F0} s): it stopped; start it again with --resume, then this worker with --resume too");
    }
}
