using System.Text.Json.Nodes;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>`experiment --baseline`: bad requests are one line before any data is read; a real run writes the paired statistics.</summary>
[Collection("Console")]
public class ExperimentStatisticsTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);


    [Fact]
    public void Baseline_outside_the_methods_is_one_line_before_the_log_is_read()
    {
        var (code, _, error) = Run("experiment", "--data", "/nonexistent/log.parquet", "--methods", "none,ns", "--baseline", "ig", "--repeats", "2");
        Assert.Equal(1, code);
        Assert.Contains("--baseline ig is not one of --methods (none,ns)", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("NS", "error: --baseline NS is no method; expected one of --methods (ns,ig); did you mean ns?")]
    [InlineData("nss", "error: --baseline nss is no method; expected one of --methods (ns,ig); did you mean ns?")]
    [InlineData("tcee", "error: --baseline tcee is no method; expected one of --methods (ns,ig); did you mean tce?")]
    public void A_baseline_that_is_no_method_is_told_so_with_what_it_likely_meant(string baseline, string expected)
    {
        // Both were "is not one of --methods (ns,ig)", with no suggestion, as if nss were a method left out.
        var (code, _, error) = Run("experiment", "--data", "/nonexistent/log.parquet", "--methods", "ns,ig", "--baseline", baseline, "--repeats", "2");
        Assert.Equal(1, code);
        Assert.Equal(expected, error.Trim());
    }

    [Fact]
    public void Repeats_whose_seeds_pass_the_largest_int_are_refused_before_the_log_is_read()
    {
        var (code, _, error) = Run("experiment", "--data", "/nonexistent/log.parquet", "--seed", "2147483647", "--repeats", "3");
        Assert.Equal(1, code);
        Assert.Equal("error: --seed 2147483647 with --repeats 3 needs seeds up to 2147483649, past the largest seed 2147483647; give --seed 2147483645 or less", error.Trim());
        new Experiment.Plan(new TrainSettings { Seed = int.MaxValue - 2 }, ["ns"], ["gmf"], Repeats: 3, LearningRateRatios: []).Validate();
    }

    [Fact]
    public void The_cap_on_repeats_is_in_the_help_as_the_refusal_words_it()
    {
        // The cap was only in the refusal: --help said nothing of it.
        var (code, output, _) = Run("experiment", "--help");
        Assert.Equal(0, code);
        Assert.Contains("from 1 to 1,000", output.Split('\n').Single(line => line.TrimStart().StartsWith("--repeats", StringComparison.Ordinal)));
        Assert.Contains("--repeats must be from 1 to 1,000, got 1,001", Run("experiment", "--data", "/nonexistent/log.parquet", "--repeats", "1001").Error);
    }

    [Fact]
    public void Statistics_with_one_repeat_are_refused()
    {
        var (code, _, error) = Run("experiment", "--data", "/nonexistent/log.parquet", "--methods", "none,ns", "--baseline", "none");
        Assert.Equal(1, code);
        Assert.Contains("--baseline needs --repeats of at least 2 (got 1)", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void A_baseline_that_is_the_only_method_is_refused_and_not_chosen_by_default()
    {
        var (code, _, error) = Run("experiment", "--data", "/nonexistent/log.parquet", "--methods", "ns", "--baseline", "ns", "--repeats", "2");
        Assert.Equal(1, code);
        Assert.Equal("error: --baseline ns is the only one of --methods: there is no other method to compare with it; add one, or leave --baseline out", error.Trim());
        // Left out, none is not chosen as the baseline of a plan of none alone: the run gets as far as the missing log.
        (code, _, error) = Run("experiment", "--data", "/nonexistent/log.parquet", "--methods", "none", "--repeats", "2");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/log.parquet", error);
    }

    [Fact]
    public void A_run_folder_another_run_holds_is_refused_not_written_into()
    {
        using var folder = new TempFolder();
        SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 2), folder.File("log"));
        var outDir = folder.File("out");
        // A train into one of the experiment's run folders, still running.
        using (InverseLearning.Training.Cli.OutputFolder.Lock(Path.Combine(outDir, "gmf", "none", "seed42"), "--out"))
        {
            var (code, _, error) = Run("experiment", "--data", Path.Combine(folder.File("log"), SimulationFiles.InteractionsFileName),
                "--methods", "none", "--epochs", "1", "--threads", "1", "--seed", "42", "--out", outDir);

            Assert.Equal(1, code);
            Assert.Contains($"--out {Path.Combine(outDir, "gmf", "none", "seed42")} is in use by another run", error);
            Assert.False(File.Exists(Path.Combine(outDir, "gmf", "none", "seed42", "metrics.json")));
        }
    }

    [Fact]
    public void Methods_without_the_default_baseline_are_told_how_to_get_paired_statistics()
    {
        // ns and tce over two seeds: no `none`, so no comparisons, and the output said nothing of why.
        using var folder = new TempFolder();
        var sim = FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 2);
        SimulationFiles.Write(sim, folder.File("log"));
        var (code, output, error) = Run("experiment", "--data", Path.Combine(folder.File("log"), SimulationFiles.InteractionsFileName),
            "--methods", "ns,tce", "--models", "gmf", "--repeats", "2", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", folder.File("out"));

        Assert.True(code == 0, error);
        Assert.Contains("No paired statistics: they compare each method with a baseline, `none` by default, which is not among --methods; name one with --baseline METHOD.", output);
        Assert.DoesNotContain("Verdict", output);

        // One method alone has nothing to compare with, a baseline named or not: no line asks for one.
        (code, output, error) = Run("experiment", "--data", Path.Combine(folder.File("log"), SimulationFiles.InteractionsFileName),
            "--methods", "ns", "--models", "gmf", "--repeats", "2", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", folder.File("one-method"));

        Assert.True(code == 0, error);
        Assert.DoesNotContain("No paired statistics", output);
    }

    [Fact]
    public void Two_repeats_write_paired_differences_to_the_table_and_results()
    {
        using var folder = new TempFolder();
        var sim = FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 2);
        SimulationFiles.Write(sim, folder.File("log"));
        var outDir = folder.File("out");
        var (code, output, error) = Run("experiment", "--data", Path.Combine(folder.File("log"), SimulationFiles.InteractionsFileName),
            "--methods", "none,ns", "--models", "gmf", "--repeats", "2", "--epochs", "1", "--lr", "1e-3", "--threads", "1", "--out", outDir);
        Assert.True(code == 0, error);

        var table = File.ReadAllText(Path.Combine(outDir, "table.md"));
        Assert.Contains("## Against none: paired differences over seeds (observed labels)", table);
        Assert.Contains("| ns |", table.Split("## Against none")[1]);
        Assert.Contains("only when the paired t-test gives p < 0.05", table);
        Assert.Contains("Verdict — gmf AUC:", output);
        Assert.DoesNotContain("No paired statistics", output);

        var comparisons = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["comparisons"]!;
        Assert.Equal("none", (string)comparisons["baseline"]!);
        var rows = comparisons["test"]!.AsArray();
        Assert.Equal(6, rows.Count); // ns vs none on each metric of gmf
        var runs = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["runs"]!.AsArray();
        double Auc(string method, int seed) => (double)runs.Single(r => (string)r!["method"]! == method && (int)r["seed"]! == seed)!["test"]!["auc"]!;
        var auc = rows.Single(r => (string)r!["metric"]! == "auc")!;
        Assert.Equal(2, (int)auc["pairs"]!);
        Assert.Equal((Auc("ns", 42) - Auc("none", 42) + Auc("ns", 43) - Auc("none", 43)) / 2, (double)auc["mean_difference"]!, 12);
        Assert.True((double)auc["ci95_low"]! <= (double)auc["mean_difference"]! && (double)auc["mean_difference"]! <= (double)auc["ci95_high"]!);
        Assert.Null(auc["p_wilcoxon"]);
        Assert.Contains((string)auc["verdict"]!, new[] { "win", "loss", "tie" });
        Assert.NotNull(comparisons["clean_test"]);
    }
}
