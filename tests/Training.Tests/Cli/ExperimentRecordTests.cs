using System.Text.Json.Nodes;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>results.json records the experiment that ran: its grid and shared settings, never one run's settings as if it were the experiment.</summary>
[Collection("Console")]
public class ExperimentRecordTests(CliFixture files)
{
    [Fact]
    public void Results_json_records_the_grid_that_ran_not_a_run_of_the_default_model_and_first_method()
    {
        var outDir = files.Scratch("experiment-record");
        var (code, _, error) = CliRunner.Run("experiment", "--data", files.Log, "--methods", "idl,cw", "--models", "mlp", "--repeats", "2",
            "--epochs", "1", "--dim", "4", "--threads", "1", "--out", outDir);
        Assert.True(code == 0, error);

        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!.AsObject();
        // The base settings said gmf (the default model, never trained here) and idl alone, with seed 42 alone.
        Assert.False(root.ContainsKey("settings"));
        var experiment = root["experiment"]!;
        Assert.Equal(new[] { "idl", "cw" }, experiment["methods"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(new[] { "mlp" }, experiment["models"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(2, (int)experiment["repeats"]!);
        Assert.Equal(new[] { 42, 43 }, experiment["seeds"]!.AsArray().Select(s => (int)s!));
        Assert.Equal(42, (int)experiment["split_seed"]!);
        Assert.Equal(1, (int)experiment["jobs"]!);
        var shared = experiment["shared_settings"]!.AsObject();
        Assert.Equal(4, (int)shared["Dim"]!);
        Assert.Equal(1, (int)shared["Epochs"]!);
        foreach (var perRun in new[] { "Model", "Method", "Seed", "TrainingFingerprint" }) Assert.False(shared.ContainsKey(perRun), perRun);
    }
}
