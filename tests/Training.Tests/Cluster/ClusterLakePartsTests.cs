using InverseLearning.Data;
using InverseLearning.Training.Tests.Cli;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>
/// A run on the cluster over a lake: its checkpoint records the parts it read and the lake's listing as a run alone does, eval of it
/// on the lake grown since reads those parts, and a worker started after its coordinator opened the run reads the parts the
/// coordinator read, not the lake as it finds it.
/// </summary>
[Collection("Console")]
public sealed class ClusterLakePartsTests : DatagenLakeTest
{
    [Fact]
    public void A_cluster_runs_checkpoint_records_its_lake_and_eval_reads_the_parts_it_read()
    {
        using var silos = new InProcessSilos();
        var days = Days();
        var where = $"day>={days[^3]["day=".Length..]}";
        var trained = Train("--where", where, "--cluster", string.Join(",", silos.Address.Gateways), "--workers", "2", "--spawn-workers",
            "--run", "lake-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.True(trained.Code == 0, trained.Error);

        var checkpoint = Path.Combine(_run, "checkpoint");
        var run = InverseLearning.Training.Artifacts.Checkpoint.ReadHeader(checkpoint).Run;
        Assert.Equal([.. days[^3..].Select(day => $"{day}/part-0.parquet")], run.LakeParts!.Select(part => part.Path));
        Assert.All(run.LakeParts!, part => Assert.NotNull(part.Stamp));
        Assert.Equal([.. days.Select(day => $"{day}/part-0.parquet")], run.LakeListing);

        var added = AddDay();
        var eval = CliRunner.Run("eval", "--checkpoint", checkpoint, "--data", _lake);
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains($"note: 1 part file added to {_lake} since {checkpoint}'s run listed it ({added}) is left out", eval.Error);
        Assert.Contains("clean test", eval.Output);
    }

    /// <summary>
    /// A part added to the lake between the coordinator's listing and its worker's: the worker's data was the lake with that part,
    /// refused at its join as other data, with advice to give it the coordinator's flags, which it had. It trains on the
    /// coordinator's parts, saying it left the new one out, and the run ends.
    /// </summary>
    [Fact]
    public async Task A_worker_started_after_a_part_was_added_trains_on_the_parts_its_coordinator_read()
    {
        using var silos = new InProcessSilos();
        var runName = "added-" + Guid.NewGuid().ToString("N")[..8];
        using var coordinator = await OpenedRun(silos, runName);
        var added = AddDay();

        using var worker = Worker(silos, runName);
        await worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(worker.Process.ExitCode == 0, worker.Stderr);
        await coordinator.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(coordinator.Process.ExitCode == 0, coordinator.Stderr);
        Assert.Contains($"note: 1 part file added to {_lake} since run {runName}'s coordinator listed it ({added}) is left out: " +
            $"the log is read as the run read it, {Days().Count - 1} part files", worker.Stderr);
        Assert.Contains($"worker 1 of 2 joined run {runName}", worker.Stderr);
        var run = InverseLearning.Training.Artifacts.Checkpoint.ReadHeader(Path.Combine(_run, "checkpoint")).Run;
        Assert.DoesNotContain(run.LakeParts!, part => part.Path.StartsWith("day=9999-12-31", StringComparison.Ordinal));
    }

    /// <summary>A part the coordinator read, rewritten before its worker reads it: the worker cannot read what the coordinator read, and says the lake changed.</summary>
    [Fact]
    public async Task A_worker_whose_coordinators_part_was_rewritten_meanwhile_is_refused_naming_it()
    {
        using var silos = new InProcessSilos();
        var runName = "rewritten-" + Guid.NewGuid().ToString("N")[..8];
        using var coordinator = await OpenedRun(silos, runName);
        var days = Days();
        var rewritten = Path.Combine(_lake, days[^1], "part-0.parquet");
        var other = days.Select(day => Path.Combine(_lake, day, "part-0.parquet")).First(part => LogDataset.Open(part).CountRows() != LogDataset.Open(rewritten).CountRows());
        File.Copy(other, rewritten, overwrite: true);

        using var worker = Worker(silos, runName);
        await worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));

        CliRunner.AssertOneLineFailure((worker.Process.ExitCode, "", worker.Stderr), $"{rewritten}: changed since run {runName}'s coordinator read it (");
        Assert.Contains("the lake changed under the run", worker.Stderr);
    }

    private List<string> Days() => [.. Directory.GetDirectories(_lake, "day=*").Select(day => Path.GetFileName(day)).Order(StringComparer.Ordinal)];

    // A day after every other, a copy of the last one's part: a partition a live lake gains.
    private string AddDay()
    {
        var last = Path.Combine(_lake, Days()[^1], "part-0.parquet");
        var added = Path.Combine(_lake, "day=9999-12-31", "part-0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(added)!);
        File.Copy(last, added);
        return added;
    }

    // A coordinator of two workers, once it has opened its run: it then waits for worker 1 to join.
    private async Task<CliChild> OpenedRun(InProcessSilos silos, string run)
    {
        var coordinator = new CliChild(["train", "--data", _lake, "--out", _run, .. Fast, "--cluster", string.Join(",", silos.Address.Gateways), "--workers", "2", "--run", run]);
        await coordinator.Said($"(run {run}, opening 1)", TimeSpan.FromMinutes(2));
        return coordinator;
    }

    private CliChild Worker(InProcessSilos silos, string run) =>
        new(["train", "--data", _lake, "--out", Path.Combine(_dir, "worker"), .. Fast, "--cluster", string.Join(",", silos.Address.Gateways), "--workers", "2", "--worker", "1", "--run", run]);
}
