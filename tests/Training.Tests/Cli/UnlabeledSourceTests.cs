using InverseLearning.Data.Simulation;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>`--unlabeled-source`: a log that cannot supply impressions is one error line; a mixed source trains.</summary>
[Collection("Console")]
public class UnlabeledSourceTests
{
    private static (int Code, string Error) Run(params string[] args) { var (code, _, error) = CliRunner.Run(args); return (code, error); }


    private static string Log(TempFolder folder, double sparsity)
    {
        var dir = folder.File($"log{sparsity}");
        SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny") with { LabelSparsity = sparsity }, seed: 5), dir);
        return Path.Combine(dir, SimulationFiles.InteractionsFileName);
    }

    [Fact]
    public void Impressions_on_a_log_without_a_middle_band_is_one_line()
    {
        using var folder = new TempFolder();
        var (code, error) = Run("train", "--data", Log(folder, 0), "--method", "idl", "--unlabeled-source", "impressions", "--epochs", "1", "--out", folder.File("run"));
        Assert.Equal(1, code);
        Assert.Contains("error: --unlabeled-source impressions: the log has no middle band", error);
        // Progress lines come before it; the failure itself is one line, no stack trace.
        Assert.Single(error.Split('\n'), line => line.StartsWith("error:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData(0.4, null)]    // every training user has middle-band impressions
    [InlineData(0.05, "training users have no middle-band impressions")]
    public void Impressions_streamed_train_or_name_the_users_without_any_as_held_runs_do(double sparsity, string? refusal)
    {
        using var folder = new TempFolder();
        var log = Log(folder, sparsity);
        foreach (var streamed in new[] { false, true })
        {
            var (code, error) = Run(["train", "--data", log, "--unlabeled-source", "impressions", "--epochs", "1", "--threads", "1",
                "--out", folder.File($"run-{streamed}"), .. streamed ? ["--stream"] : Array.Empty<string>()]);
            if (refusal is null)
            {
                Assert.True(code == 0, error);
                continue;
            }
            Assert.Equal(1, code);
            var line = Assert.Single(error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
            Assert.StartsWith("error: --unlabeled-source impressions: ", line);
            Assert.Contains(refusal, line);
        }
    }

    [Fact]
    public void Unknown_source_and_mix_outside_the_unit_interval_are_refused()
    {
        // Refused by the parser, as a set's values are, in CliApp's words.
        var (code, _, refused) = CliRunner.Run(TimeSpan.FromMinutes(1), "train", "--data", "x.parquet", "--unlabeled-source", "feed");
        Assert.Equal(1, code);
        Assert.Contains("--unlabeled-source takes both, impressions or unseen, got 'feed'", refused);
        (code, var error) = Run("train", "--data", "x.parquet", "--unlabeled-source", "both", "--unlabeled-mix", "1.5");
        Assert.Equal(1, code);
        Assert.Contains("--unlabeled-mix must be in [0, 1], got 1.5", error);
    }

    [Fact]
    public void A_mixed_source_trains_idl()
    {
        using var folder = new TempFolder();
        var (code, error) = Run("train", "--data", Log(folder, 0.5), "--method", "idl", "--unlabeled-source", "both", "--unlabeled-mix", "0.5",
            "--epochs", "1", "--lr", "1e-3", "--threads", "1", "--out", folder.File("run"));
        Assert.True(code == 0, error);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("run"), "metrics.json")))!;
        var bySource = metrics["annotation_by_source"]!;
        Assert.True((int)bySource["unseen"]!["rows"]! > 0);
        // Drawn from the middle band: the truly liked share is the middle band's own, counted from the simulation.
        var sim = FeedSimulator.Run(SimulatorPresets.Get("tiny") with { LabelSparsity = 0.5 }, seed: 5);
        var (middle, liked) = (0, 0);
        for (var row = 0; row < sim.Log.Count; row++)
        {
            var finish = (double)sim.Log.PlayTimeMs!.Values[row] / sim.Log.DurationMs!.Values[row];
            if (finish is < 0.2 or > 0.8) continue;
            middle++;
            if (sim.Truth.ImpressionLabels[row]) liked++;
        }
        Assert.InRange((double)bySource["impressions"]!["true_positive_share"]!, (double)liked / middle - 0.05, (double)liked / middle + 0.05);
    }
}
