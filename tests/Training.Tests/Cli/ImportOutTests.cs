using InverseLearning.Data.Simulation;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Tests.Cluster;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>Where `import-ratings` may write its log, and what it leaves in --out when it is stopped before it has read anything.</summary>
[Collection("Console")]
public class ImportOutTests
{
    [Theory]
    [InlineData("interactions/x", "a lake (it holds the partition day=")]
    [InlineData("interactions/day=2024-02-01", "a lake (it holds the partition day=")]
    [InlineData("x", "a datagen's log (its ground truth is there)")]
    public void An_out_inside_a_datagen_lake_is_refused_naming_the_lake(string below, string what)
    {
        // The import succeeded, and every later read of the lake failed on its parts' other columns.
        using var folder = new TempFolder();
        var lake = folder.File("lake");
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Impressions = 1_000 }, 3), lake);
        File.WriteAllText(folder.File("ratings.csv"), "1,10,5\n2,11,3\n");
        var output = Path.Combine(lake, below);
        var inside = Path.GetDirectoryName(output)!;

        var (code, _, error) = CliRunner.Run("import-ratings", "--input", folder.File("ratings.csv"), "--out", output);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: --out {output} is inside {inside}, {what}", error.Trim().Split('\n')[^1]);
        Assert.False(File.Exists(Path.Combine(output, "interactions.parquet")));
    }

    [Fact]
    public void An_out_below_a_lakes_partition_is_refused_and_one_below_a_folder_only_named_like_one_is_not()
    {
        using var folder = new TempFolder();
        var lake = folder.File("lake");
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Impressions = 1_000 }, 3), lake);
        File.WriteAllText(folder.File("ratings.csv"), "1,10,5\n2,11,3\n");
        var day = Directory.EnumerateDirectories(Path.Combine(lake, "interactions")).First();
        // The user's own run=3 is there, holding no Parquet part: named like a partition, it is none.
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(folder.File("run=3")).FullName, "notes.txt"), "the user's");

        var (refused, _, error) = CliRunner.Run("import-ratings", "--input", folder.File("ratings.csv"), "--out", Path.Combine(day, "x"));
        var (accepted, _, _) = CliRunner.Run("import-ratings", "--input", folder.File("ratings.csv"), "--out", Path.Combine(folder.File("run=3"), "x"));

        Assert.Equal(1, refused);
        Assert.StartsWith($"error: --out {Path.Combine(day, "x")} is inside {day}, a lake's partition", error.Trim().Split('\n')[^1]);
        Assert.Equal(0, accepted);
        Assert.True(File.Exists(Path.Combine(folder.File("run=3"), "x", "interactions.parquet")));
    }

    [Fact]
    public void An_out_beside_a_folder_named_with_no_key_before_its_equals_sign_is_not_refused()
    {
        // The lake's reader takes a partition folder as key=value with a key before the sign (HivePartition): "=3" is none,
        // whatever it holds, and an --out beside it is inside no lake.
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("ratings.csv"), "1,10,5\n2,11,3\n");
        Directory.CreateDirectory(folder.File("=3"));
        File.WriteAllBytes(Path.Combine(folder.File("=3"), "part.parquet"), [1]);

        var (code, _, error) = CliRunner.Run("import-ratings", "--input", folder.File("ratings.csv"), "--out", folder.File("out"));

        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(folder.File("out"), "interactions.parquet")));
    }

    [Fact]
    public async Task An_import_waiting_for_a_pipes_writer_stops_on_sigterm_and_removes_its_out()
    {
        // It waited in the open of the pipe until the 10 s after the signal ran out, then ended leaving --out holding only its lock.
        using var folder = new TempFolder();
        var pipe = folder.File("no-writer.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe])) await mkfifo.WaitForExitAsync();
        var output = folder.File("out");
        using var import = new CliChild("import-ratings", "--input", pipe, "--out", output);
        while (!File.Exists(Path.Combine(output, OutputFolder.LockFileName)) && !import.Process.HasExited) await Task.Delay(50);

        await CliChild.Signal(import.Process.Id, "TERM");
        await import.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(130, import.Process.ExitCode);
        Assert.DoesNotContain("still running", import.Stderr);
        Assert.False(Directory.Exists(output));
    }
}
