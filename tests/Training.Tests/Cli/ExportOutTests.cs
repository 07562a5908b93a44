using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>Where `export --out` may write: never over another run's model, nor into a datagen's folder, whose log would take seen.parquet as a part.</summary>
[Collection("Console")]
public class ExportOutTests(CliFixture files)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private string ErrorOf(string checkpoint, string output)
    {
        var (code, _, error) = CliRunner.Run(Budget, "export", "--checkpoint", checkpoint, "--data", files.Log, "--out", output);
        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", error);
        return error.Trim().Split('\n')[^1];
    }

    /// <summary>A copy of the fixture's run folder: a run of its own, with its report, checkpoints and model.</summary>
    private string RunCopy(string name)
    {
        var folder = Directory.CreateDirectory(files.Scratch(name)).FullName;
        foreach (var file in new[] { "metrics.json", "checkpoint", "last.checkpoint", "model.onnx", "seen.parquet" })
            File.Copy(Path.Combine(files.RunDirectory, file), Path.Combine(folder, file));
        return folder;
    }

    [Fact]
    public void An_export_into_another_runs_folder_is_refused_and_leaves_its_model()
    {
        // It wrote model.onnx and seen.parquet under the other run's metrics.json, and an experiment then reused that run with this model.
        var other = RunCopy("other-run");
        File.WriteAllBytes(Path.Combine(other, "model.onnx"), [1, 2, 3]);

        Assert.Equal($"error: --out {other} holds another run's outputs (metrics.json, checkpoint, last.checkpoint): the model exported there would stand under that run's report, " +
            "and an experiment would reuse it as that run's; export into another folder, or into the folder of the run --checkpoint comes from", ErrorOf(files.Checkpoint, other));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(other, "model.onnx")));
        Assert.False(File.Exists(Path.Combine(other, OutputFolder.LockFileName)));
    }

    [Fact]
    public void A_runs_best_checkpoint_exports_into_its_own_folder_and_its_last_checkpoint_does_not()
    {
        var run = RunCopy("own-run");

        Assert.Equal($"error: --out {run} is the folder of the run --checkpoint {Path.Combine(run, "last.checkpoint")} comes from, whose model.onnx is its best checkpoint's, " +
            $"not last.checkpoint's; give --checkpoint {Path.Combine(run, "checkpoint")}, or export into another folder", ErrorOf(Path.Combine(run, "last.checkpoint"), run));
        var (code, _, error) = CliRunner.Run(Budget, "export", "--checkpoint", Path.Combine(run, "checkpoint"), "--data", files.Log, "--out", run);
        Assert.True(code == 0, error);

        // A folder a run saved no best in serves its last checkpoint's model: that one may be exported into it.
        File.Delete(Path.Combine(run, "checkpoint"));
        (code, _, error) = CliRunner.Run(Budget, "export", "--checkpoint", Path.Combine(run, "last.checkpoint"), "--data", files.Log, "--out", run);
        Assert.True(code == 0, error);
    }

    [Fact]
    public void An_export_into_a_datagens_folder_is_refused_as_import_ratings_refuses_it()
    {
        // It put seen.parquet beside the log, where a later --data 'DIR/*.parquet' took it as one of the log's parts.
        var simulation = files.Scratch("d.parquet");
        Assert.Equal(0, CliRunner.Run(Budget, "datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200", "--out", simulation).Code);
        var before = Directory.GetFileSystemEntries(simulation).Order().ToList();

        Assert.Equal($"error: --out {simulation} holds a simulation's ground truth (truth.parquet, truth-model.bin), a datagen's folder: a glob over it ('{simulation}/*.parquet') " +
            "would read the seen.parquet written there as one of its log's parts; export into another folder", ErrorOf(files.Checkpoint, simulation));
        Assert.Equal(before, Directory.GetFileSystemEntries(simulation).Order().ToList());
        // A folder below it is read by no --data that reads the datagen's log (DIR/interactions.parquet): a model may go there.
        var (code, _, error) = CliRunner.Run(Budget, "export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--out", Path.Combine(simulation, "model"));
        Assert.True(code == 0, error);
    }

    [Fact]
    public void An_export_into_a_lakes_partition_is_refused()
    {
        var lake = files.Scratch("lake");
        Assert.Equal(0, CliRunner.Run(Budget, "datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200", "--partition-by", "day", "--out", lake).Code);
        var day = Directory.EnumerateDirectories(Path.Combine(lake, "interactions")).First();

        Assert.StartsWith($"error: --out {Path.Combine(day, "model")} is inside {day}, a lake's partition: seen.parquet written there would be read as one of its parts",
            ErrorOf(files.Checkpoint, Path.Combine(day, "model")));
        Assert.False(Directory.Exists(Path.Combine(day, "model")));
    }
}
