using System.Diagnostics;
using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>Workers started as processes of the trainer (--spawn-workers), seen ending by the coordinator that started them.</summary>
public class LocalWorkersTests
{
    [Fact]
    public void A_worker_whose_process_ended_is_listed_with_its_exit_code_its_log_and_the_last_line_it_wrote()
    {
        var folder = Directory.CreateTempSubdirectory("il-local-workers-").FullName;
        try
        {
            // Its command line is refused at once: a worker that ends before it could join.
            using var workers = LocalWorkers.Start(["train", "--no-such-flag"], workers: 2, run: "ended", folder);
            // Started moments ago, its runtime still starting: a process running is not listed as ended.
            Assert.Empty(workers.Ended);
            var waited = Stopwatch.StartNew();
            while (workers.Ended.Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(50);

            Assert.Equal([1], workers.Ended);
            var log = Path.Combine(folder, "worker-1.log");
            var how = workers.HowEnded(1);
            Assert.StartsWith($"exit code 1; its log {log} ends: ", how);
            Assert.Contains("--no-such-flag", how);
            Assert.EndsWith(File.ReadAllLines(log).Last(line => line.Trim().Length > 0).Trim(), how);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
