using System.Text.Json.Nodes;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// Implicit labels: every observed test row is positive, so AUC, GAUC, NDCG and MRR are undefined there. train, eval and
/// experiment say so alike, in a line naming the cause beside n/a, never as NaN nor as a silently missing row or a failure.
/// </summary>
[Collection("Console")]
public class ImplicitTestMetricsTests
{
    private const string Cause = "are undefined on the observed test labels: all ";
    private const string Implicit = "rows are positive, with no negative to rank them against (implicit labels";

    private static string Log(TempFolder folder)
    {
        SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 2), folder.File("log"));
        return Path.Combine(folder.File("log"), SimulationFiles.InteractionsFileName);
    }

    [Fact]
    public void Train_and_eval_print_the_test_row_as_n_a_and_say_why()
    {
        using var folder = new TempFolder();
        var log = Log(folder);
        var outDir = folder.File("run");

        var (code, output, error) = CliRunner.Run("train", "--data", log, "--labels", "implicit", "--method", "ns", "--epochs", "1", "--dim", "4",
            "--threads", "1", "--out", outDir);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("NaN", output);
        Assert.Matches(@"\n  test +n/a +n/a +n/a +n/a +n/a +\d", output);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("  test: n/a: ", StringComparison.Ordinal));
        Assert.Contains("AUC, GAUC, NDCG@10, NDCG@20 and MRR " + Cause, line);
        Assert.Contains(Implicit, line);
        Assert.EndsWith("; the clean test row (true labels) measures the model instead", line.TrimEnd());
        Assert.Contains("\n  clean test ", output);

        // eval on the same checkpoint: the same rows and the same line, not a failure.
        var (evalCode, evalOutput, evalError) = CliRunner.Run("eval", "--checkpoint", Path.Combine(outDir, "checkpoint"), "--data", log, "--labels", "implicit");
        Assert.True(evalCode == 0, evalError);
        Assert.DoesNotContain("NaN", evalOutput);
        Assert.Contains(line, evalOutput);

        // Published to a repository: the manifest holds the undefined metrics as null, as metrics.json does (JSON has no NaN,
        // and the publish failed on them).
        var repository = folder.File("repository");
        var (exportCode, _, exportError) = CliRunner.Run("export", "--checkpoint", Path.Combine(outDir, "checkpoint"), "--data", log, "--labels", "implicit",
            "--repository", repository);
        Assert.True(exportCode == 0, exportError);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(repository, "1", "manifest.json")))!["metrics"]!;
        Assert.Null(metrics["auc"]);
        Assert.NotNull(metrics["logloss"]);
    }

    [Fact]
    public void Experiment_marks_the_cells_n_a_with_the_reason_and_gives_its_verdict_on_the_true_labels()
    {
        using var folder = new TempFolder();
        var outDir = folder.File("out");

        var (code, output, error) = CliRunner.Run("experiment", "--data", Log(folder), "--labels", "implicit", "--methods", "ns,idl", "--models", "gmf",
            "--repeats", "2", "--baseline", "ns", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", outDir);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("NaN", output);
        Assert.DoesNotContain("NaN", error);

        var table = File.ReadAllText(Path.Combine(outDir, "table.md"));
        var observed = table.Split("## Test metrics against the true labels")[0];
        Assert.Contains("| ns | n/a | n/a | n/a |", observed);
        Assert.Contains("| idl | n/a | n/a | n/a |", observed);
        Assert.Contains("\nn/a: AUC, GAUC, NDCG@10, NDCG@20 and MRR " + Cause, observed);
        var paired = table.Split("## Against ns: paired differences over seeds (observed labels)")[1].Split("## Against ns on the true labels")[0];
        Assert.Contains("\n–: no paired difference: AUC, GAUC, NDCG@10, NDCG@20 and MRR " + Cause, paired);

        var verdict = Assert.Single(output.Split('\n'), l => l.StartsWith("Verdict", StringComparison.Ordinal));
        Assert.StartsWith("Verdict — none on the observed labels: AUC, GAUC, NDCG@10, NDCG@20 and MRR " + Cause, verdict);
        Assert.Contains(Implicit, verdict);
        Assert.Contains(". On the true labels (clean test) — gmf AUC: ", verdict);
        Assert.DoesNotContain("the baseline ns was best (", verdict.Split(". On the true labels")[0]);
    }

    [Fact]
    public void The_learning_rate_ratio_study_plots_the_clean_test_where_the_observed_metrics_are_undefined_and_says_so()
    {
        // Its plots were of the observed AUC and GAUC alone: NaN at every ratio, an empty frame.
        using var folder = new TempFolder();
        var log = Log(folder);
        string[] Study(string data, string outDir) => ["experiment", "--data", data, "--labels", "implicit", "--methods", "ig", "--models", "gmf", "--lr-ratio", "1,10",
            "--epochs", "1", "--dim", "4", "--threads", "1", "--out", folder.File(outDir)];

        var (code, output, error) = CliRunner.Run(Study(log, "out"));
        Assert.True(code == 0, error);
        Assert.Contains("(table.md, results.json, lr_ratio.json, plots)", output);
        Assert.Contains("lr-ratio: lr_ratio_auc.png plots clean test AUC (AUC is undefined on the observed labels)", error);
        Assert.Contains("lr-ratio: lr_ratio_gauc.png plots clean test GAUC (GAUC is undefined on the observed labels)", error);
        // lr_ratio.json holds the study per ratio: each with its runs and the clean test's summary.
        var studies = JsonNode.Parse(File.ReadAllText(folder.File("out/lr_ratio.json")))!["studies"]!.AsArray();
        Assert.Equal([1.0, 10.0], studies.Select(s => s!["ratio"]!.GetValue<double>()));
        Assert.All(studies, s => Assert.NotNull(s!["summary"]!["clean_test"]!["auc"]!["mean"]));

        // Without the simulator's truth beside the log there is nothing to plot: the plots were drawn anyway, empty frames titled n/a.
        var alone = folder.File("alone.parquet");
        File.Copy(log, alone);
        (code, output, error) = CliRunner.Run(Study(alone, "out-alone"));
        Assert.True(code == 0, error);
        Assert.Contains("(table.md, results.json, lr_ratio.json)", output); // no "plots": none was drawn
        Assert.Equal("not drawn: auc_gmf.png, lr_ratio_auc.png, lr_ratio_gauc.png: AUC and GAUC are undefined on the observed test labels (table.md says why), " +
            "and with no ground truth beside the log there is no clean test to plot instead", Assert.Single(error.Split('\n'), l => l.Contains("not drawn")));
        Assert.Empty(Directory.EnumerateFiles(folder.File("out-alone"), "*.png"));
    }
}
