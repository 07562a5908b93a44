using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Cli;

/// <summary>
/// A run on the cluster that diverged has nothing there to go on from (a --resume starts from its checkpoint, under a run name of
/// its own): its shards' snapshots and meeting point are dropped as at a run's end, with the cluster-run.json that names them and
/// the logs of the workers it started in --out. Its folder is then left as a single process's divergence leaves it
/// (<see cref="UnfinishedRun"/>): one it made goes with its lock.
/// </summary>
public static class DivergedClusterRun
{
    /// <param name="shards">The run's connection to the cluster.</param>
    /// <param name="outDir">The coordinator's --out.</param>
    /// <param name="workers">The workers it started (--spawn-workers), stopped first: one still pushing would meet dropped shards.</param>
    /// <param name="report">Told when the state could not be dropped.</param>
    public static void Clear(ClusterStore shards, string outDir, LocalWorkers? workers, Action<string> report)
    {
        var logs = workers?.LogFiles ?? [];
        workers?.Dispose();
        // Neither failure replaces the run's own error: a record left behind is dropped by the next run in --out.
        try
        {
            shards.Drop();
            ClusterRunRecord.Delete(outDir);
        }
        catch (Exception e)
        {
            report($"warning: the diverged run's state on the cluster could not be dropped ({e.GetType().Name}); the next run in {outDir} drops it");
        }
        foreach (var log in logs)
        {
            try
            {
                File.Delete(log);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
