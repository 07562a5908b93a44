using System.Diagnostics;
using System.Globalization;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training;

namespace InverseLearning.Benchmarks;

/// <summary>
/// The simulator against the paper's Micro Video log (Tables 1, 3–5): the micro-video preset's
/// sizes, label shares, like and hate rates, skew, and learnability — GMF + BCE (method none,
/// 2 epochs, η = 2e-3) on finish-rate labels must reach test AUC 0.77–0.83 and GAUC 0.72–0.79,
/// play-time-quartile labels must do worse against the true labels — plus GMF None AUC ≥ 0.75
/// on the `default` preset. Prints target, measured and verdict per figure, and fails when any
/// figure misses. Generates fresh logs (seed 1) in memory, never a cached file.
/// </summary>
public sealed class CalibrationBenchmark : IBenchmark
{
    private const int Seed = 1;
    private readonly List<string> _failures = [];

    public string Name => "calibration";

    public void Run(string workDir, TextWriter report)
    {
        var clock = Stopwatch.StartNew();
        var micro = FeedSimulator.Run(SimulatorPresets.Get("micro-video"), Seed);
        var s = SimulationSummary.Of(micro);
        report.WriteLine($"micro-video simulated in {clock.Elapsed.TotalSeconds:F1} s");
        report.WriteLine();
        report.WriteLine("| figure | target | measured | ok |");
        report.WriteLine("|---|---|---:|---|");
        Within(report, "users", 37_692, s.Users);
        Within(report, "videos shown", 131_690, s.Items);
        Within(report, "impressions", 9_458_042, s.Rows);
        Within(report, "labeled impressions", 9_458_042, s.Rows * (s.PositiveShare + s.NegativeShare));
        Within(report, "positive share of labeled rows", 0.52, s.LabeledPositiveShare);
        Within(report, "negative share of labeled rows", 0.48, 1 - s.LabeledPositiveShare);
        Within(report, "likes per impression", 0.0478, s.LikeRate);
        Within(report, "hates per impression", 0.0008, s.HateRate);
        Range(report, "likes on finished watches (finish > 0.8)", s.LikesFinishedShare, 0.8, 1);
        Range(report, "impressions by the top 10% of users", s.TopUserShare, 0.25, 1);
        Range(report, "impressions of the top 10% of videos", s.TopItemShare, 0.45, 1);

        var finish = Learn(micro.Log, micro.Truth, LabelRule.FinishRate);
        var play = Learn(micro.Log, micro.Truth, LabelRule.PlayTime);
        Range(report, "GMF None test AUC, finish-rate labels", finish.Auc, 0.77, 0.83);
        Range(report, "GMF None test GAUC, finish-rate labels", finish.Gauc, 0.72, 0.79);
        Range(report, "GMF None clean AUC: finish-rate minus play-time labels", finish.CleanAuc - play.CleanAuc, 0.02, 1);
        Range(report, "GMF None clean GAUC: finish-rate minus play-time labels", finish.CleanGauc - play.CleanGauc, 0.02, 1);
        report.WriteLine($"| (play-time labels against their own test labels) | – | AUC {F(play.Auc)}, GAUC {F(play.Gauc)} | – |");

        var small = FeedSimulator.Run(SimulatorPresets.Get("default"), Seed);
        Range(report, "default preset: GMF None test AUC", Learn(small.Log, small.Truth, LabelRule.FinishRate).Auc, 0.75, 1);
        report.WriteLine();
        report.WriteLine($"calibration: {(_failures.Count == 0 ? "every figure within its target" : $"{_failures.Count} figure(s) off: {string.Join("; ", _failures)}")} ({clock.Elapsed.TotalSeconds:F0} s)");
        if (_failures.Count > 0) throw new InvalidOperationException($"calibration failed: {string.Join("; ", _failures)}");
    }

    private sealed record Learned(double Auc, double Gauc, double CleanAuc, double CleanGauc);

    private static Learned Learn(InteractionLog log, GroundTruth truth, LabelRule rule)
    {
        var data = PreparedDataset.Prepare(log, new LabelingOptions(rule), new SplitOptions());
        var settings = new TrainSettings { Model = "gmf", Method = "none", Epochs = 2, LearningRate = 2e-3, Ng = 0, Threads = 2 };
        using var trainer = new Trainer(settings, data);
        trainer.Run();
        var test = trainer.Scorer.Evaluate(data.Test);
        var clean = trainer.Scorer.Evaluate(data.Test, InverseLearning.Training.Evaluation.TrueLabels.Of(data, data.Test, truth));
        return new Learned(test.Auc, test.Gauc, clean.Auc, clean.Gauc);
    }

    private void Within(TextWriter report, string figure, double target, double measured)
    {
        var ok = Math.Abs(measured - target) <= 0.1 * target;
        Row(report, figure, $"{F(target)} ± 10%", measured, ok);
    }

    private void Range(TextWriter report, string figure, double measured, double low, double high) =>
        Row(report, figure, high >= 1 && low < 1 ? $"≥ {F(low)}" : $"{F(low)}–{F(high)}", measured, measured >= low && measured <= high);

    private void Row(TextWriter report, string figure, string target, double measured, bool ok)
    {
        if (!ok) _failures.Add($"{figure} = {F(measured)} (target {target})");
        report.WriteLine($"| {figure} | {target} | {F(measured)} | {(ok ? "yes" : "**no**")} |");
    }

    private static string F(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.####", CultureInfo.InvariantCulture);
}
