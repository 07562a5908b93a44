using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// <see cref="IEpochSync"/> through a run's <see cref="IRunCoordination"/> grain: workers poll it
/// (every 20 ms) for the coordinator's release of an epoch and for the mean of the replicated
/// parameters, and give up after <paramref name="patience"/> without news (a coordinator or
/// worker that died, or at once when <paramref name="othersAlive"/> says one did), naming what they waited for.
/// </summary>
public sealed class ClusterEpochSync(IRunCoordination run, int worker, int workers, TimeSpan patience, Action? othersAlive = null) : IEpochSync
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public int Worker => worker;
    public int Workers => workers;

    public void BeforeEpoch(int epoch)
    {
        if (worker == 0) WaitUntil(() => ClusterFaults.Done(() => run.Release(epoch)), $"the cluster to take the release of epoch {epoch}");
        else WaitUntil(() => ClusterFaults.Ask(run.Released) >= epoch, $"the coordinator to start epoch {epoch}");
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
        WaitUntil(() =>
        {
            // Sent again when the meeting point lost it (its silo died before it was saved).
            if (!sent) sent = ClusterFaults.Done(() => run.Contribute(epoch, worker, values));
            var reply = ClusterFaults.Ask(() => run.Mean(epoch, worker));
            if (reply is { HasYours: false }) sent = false;
            return (mean = reply?.Mean) is not null;
        }, $"every worker to finish epoch {epoch}");
        for (var i = 0; i < replicated.Count; i++) store.Write(replicated[i], 0, mean![i]);
    }

    private void WaitUntil(Func<bool> done, string what)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (done()) return;
            othersAlive?.Invoke();
            if (started.Elapsed > patience)
                throw new TimeoutException($"worker {worker}: waited {patience.TotalSeconds:F0} s for {what}; is every worker of the run running?");
            Thread.Sleep(Poll);
        }
    }
}
