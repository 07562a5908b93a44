using InverseLearning.Training.Tests.Cli;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>
/// A run on the cluster over a window of a lake (--where), its workers spawned: its checkpoint records the parts it read and the
/// lake's listing as a run alone does, and eval of it on the lake grown since reads those parts.
/// </summary>
[Collection("Console")]
public sealed class ClusterLakePartsTests : DatagenLakeTest
{
    [Fact]
    public void A_cluster_runs_checkpoint_records_its_lake_and_eval_reads_the_parts_it_read()
    {
        using var silos = new InProcessSilos();
        var days = Directory.GetDirectories(_lake, "day=*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var where = $"day>={days[^3]!["day=".Length..]}";
        var trained = Train("--where", where, "--cluster", string.Join(",", silos.Address.Gateways), "--workers", "2", "--spawn-workers",
            "--run", "lake-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.True(trained.Code == 0, trained.Error);

        var checkpoint = Path.Combine(_run, "checkpoint");
        var run = InverseLearning.Training.Artifacts.Checkpoint.ReadHeader(checkpoint).Run;
        Assert.Equal([.. days[^3..].Select(day => $"{day}/part-0.parquet")], run.LakeParts!.Select(part => part.Path));
        Assert.All(run.LakeParts!, part => Assert.NotNull(part.Stamp));
        Assert.Equal([.. days.Select(day => $"{day}/part-0.parquet")], run.LakeListing);

        var added = Path.Combine(_lake, "day=9999-12-31", "part-0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(added)!);
        File.Copy(Path.Combine(_lake, days[^1]!, "part-0.parquet"), added);
        var eval = CliRunner.Run("eval", "--checkpoint", checkpoint, "--data", _lake);
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains($"note: 1 part file added to {_lake} since {checkpoint}'s run listed it ({added}) is left out", eval.Error);
        Assert.Contains("clean test", eval.Output);
    }
}
