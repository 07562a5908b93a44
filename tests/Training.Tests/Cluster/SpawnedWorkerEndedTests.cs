using InverseLearning.Training.Tests.Cli;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>Run alone: a test here sets an environment variable of the process, which every process started meanwhile would inherit.</summary>
[CollectionDefinition(nameof(WorkerEnvironmentCollection), DisableParallelization = true)]
public sealed class WorkerEnvironmentCollection;

/// <summary>train --spawn-workers whose worker ends before it joins: the run stops at once, naming how the worker ended.</summary>
[Collection(nameof(WorkerEnvironmentCollection))]
public sealed class SpawnedWorkerEndedTests : DatagenLakeTest
{
    private const string HeapLimit = "DOTNET_GCHeapHardLimit";

    [Fact]
    public async Task A_spawned_worker_that_cannot_start_stops_the_run_at_once_naming_how_it_ended()
    {
        using var silos = new InProcessSilos();
        // A heap of 1 MiB, too small for the worker's runtime to start in; this process's runtime, started already, keeps its own.
        Environment.SetEnvironmentVariable(HeapLimit, "0x100000");
        try
        {
            var run = Task.Run(() => Train("--cluster", string.Join(",", silos.Address.Gateways), "--workers", "2", "--spawn-workers",
                "--run", "ended-" + Guid.NewGuid().ToString("N")[..8]));
            // Not the wait's patience (10 min): the coordinator sees the worker's process end.
            var (code, _, error) = await run.WaitAsync(TimeSpan.FromMinutes(3));

            Assert.Equal(1, code);
            Assert.Contains($"worker 1, started by --spawn-workers, ended before it joined (exit code ", error);
            Assert.Contains($"its log {Path.Combine(_run, "worker-1.log")}", error);
        }
        finally
        {
            Environment.SetEnvironmentVariable(HeapLimit, null);
        }
    }
}
