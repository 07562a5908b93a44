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

    [Fact]
    public void Results_json_table_md_and_each_runs_metrics_json_record_the_data_and_its_flags()
    {
        var outDir = files.Scratch("experiment-data-record");
        // --labels left to auto: the threshold is recorded as given whichever rule auto picks (another test of the collection may replace the log with a ratings log).
        var (code, _, error) = CliRunner.Run("experiment", "--data", files.Log, "--finish-positive-above", "0.7", "--methods", "none",
            "--models", "gmf", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", outDir);
        Assert.True(code == 0, error);

        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["data"]!;
        Assert.Equal(files.Log, (string)data["path"]!);
        Assert.Equal("auto", (string)data["labels"]!);
        Assert.Equal(0.7, (double)data["finish_positive_above"]!, 6);
        Assert.Equal("like", (string)data["extra_feedback"]!);
        Assert.Equal("truth", (string)data["test_positives"]!);
        Assert.Null(data["where"]);
        Assert.Matches("^[0-9a-f]{16}$", (string)data["fingerprint"]!["hash"]!);
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "gmf", "none", "seed42", "metrics.json")))!["data"]!;
        // The same record, less the likes' hash, which a run that reads no likes does not depend on.
        var withoutLikes = data.DeepClone();
        Assert.True(withoutLikes["fingerprint"]!.AsObject().Remove("extra_feedback"));
        Assert.True(JsonNode.DeepEquals(withoutLikes, run));
        Assert.Contains($"Data: --data {files.Log}, --labels auto, --extra-feedback like, --test-positives truth; ", File.ReadAllText(Path.Combine(outDir, "table.md")));
    }
}
