namespace InverseLearning.Training.Tests.Cli;

/// <summary>experiment started again into its --out: the runs it reuses are its own, not an earlier run's files to remove.</summary>
[Collection("Console")]
public class ExperimentReuseCommandLineTests(CliFixture files)
{
    [Fact]
    public void The_same_command_again_reuses_its_runs_and_notes_none_of_them_as_an_earlier_runs()
    {
        var outDir = files.Scratch("experiment-again");
        string[] args = ["experiment", "--data", files.Log, "--methods", "none", "--models", "gmf", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", outDir];
        var first = CliRunner.Run(args);
        Assert.True(first.Code == 0, first.Error);

        var (code, _, error) = CliRunner.Run(args);

        Assert.True(code == 0, error);
        Assert.Contains("reused 1 of 1 run finished by an earlier start of this experiment", error);
        Assert.DoesNotContain("note:", error);
    }

    [Fact]
    public void A_metrics_json_that_is_a_folder_is_refused_in_one_line_before_any_training()
    {
        var outDir = files.Scratch("experiment-metrics-folder");
        var run = Path.Combine(outDir, "gmf", "none", "seed7");
        Directory.CreateDirectory(Path.Combine(run, "metrics.json"));

        var (code, _, error) = CliRunner.Run("experiment", "--data", files.Log, "--methods", "none", "--models", "gmf", "--epochs", "1", "--dim", "4", "--threads", "1",
            "--seed", "7", "--out", outDir);

        Assert.Equal(1, code);
        Assert.Equal($"error: --out {run}: metrics.json there is a folder, where the run writes a file; remove it or choose another --out",
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), line => line.StartsWith("error:", StringComparison.Ordinal)));
        Assert.DoesNotContain("run 1 of 1", error);
        Assert.False(File.Exists(Path.Combine(run, "model.onnx")));
    }
}
