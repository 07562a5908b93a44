using InverseLearning.Data;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training;

/// <summary>
/// An experiment's reports in its --out, once its runs have trained: table.md (with every method against the baseline, on the
/// observed labels and on the true ones), the full ranking's table, results.json, the AUC bars per model and the --lr-ratio study's
/// plots and JSON; and which plots were not drawn, and why.
/// </summary>
internal sealed class ExperimentReports(Experiment.Plan plan, string outputDirectory, ExperimentRunner runner)
{
    private readonly List<(string File, PlottedTest Plotted)> _notDrawn = [];
    // table.md as the main runs made it, with a section appended (the study's); nothing before those runs' reports.
    private Action<string?> _writeTable = _ => { };

    /// <summary>Every method against the baseline on the observed test labels, and on the true ones; empty without a baseline.</summary>
    public IReadOnlyList<Comparison> BaselineComparisons { get; private set; } = [];
    public IReadOnlyList<Comparison> CleanBaselineComparisons { get; private set; } = [];

    /// <summary>Why some metrics are undefined on the observed test labels; null when all are defined.</summary>
    public string? ObservedUndefined { get; private set; }

    /// <summary>The one line that says which plots were not drawn, and why; null when every one was.</summary>
    public string? NotDrawn => _notDrawn.Count > 0 ? NotDrawnLine(_notDrawn) : null;

    /// <summary>The reports of the main runs (none for no runs).</summary>
    public void WriteMain(IReadOnlyList<RunResult> runs)
    {
        if (runs.Count == 0) return;
        var heading = $"{Counted.Of(plan.Methods.Count, "method")} × {Counted.Of(plan.Models.Count, "model")}, {Counted.Of(plan.Repeats, "repeat")}";
        var title = $"{heading}\n\n{runner.Record.Line()}";
        // The experiment as a whole: its base settings alone would describe a run of one model, method and seed that never happened.
        var extra = new Dictionary<string, object?> { [ExperimentRecord.Field] = ExperimentRecord.Of(plan), [DataRecord.Field] = runner.Record.ToJson() };
        var (observedUndefined, cleanUndefined) = Undefined(runs);
        ObservedUndefined = observedUndefined;
        string? appendix = null;
        if (plan.Baseline is { } baseline)
        {
            var comparisons = BaselineComparisons = Comparisons.Against(baseline, runs);
            var clean = CleanBaselineComparisons = Comparisons.Against(baseline, runs, clean: true);
            appendix = $"\n## Against {baseline}: paired differences over seeds (observed labels)\n\n" + SignificanceTable.Markdown(baseline, comparisons)
                + NoDifference(observedUndefined);
            if (clean.Count > 0)
                appendix += $"\n## Against {baseline} on the true labels (clean test)\n\n" + SignificanceTable.Markdown(baseline, clean) + NoDifference(cleanUndefined);
            extra["comparisons"] = SignificanceJson.Of(baseline, comparisons, clean);
        }
        _writeTable = study => ResultsTable.Write(Path.Combine(outputDirectory, ResultsTable.FileName), title, runs, appendix: appendix + study,
            observedUndefined: observedUndefined, cleanUndefined: cleanUndefined);
        _writeTable(null);
        if (runs.All(r => r.FullRanking is not null))
            FullRankingTable.Write(Path.Combine(outputDirectory, FullRankingTable.FileName), heading, runs, RankingSignificance(runs, extra), runner.Record.Line());
        ResultsJson.Write(Path.Combine(outputDirectory, ResultsJson.FileName), runs, extra);
        foreach (var model in plan.Models)
        {
            var ofModel = runs.Where(r => r.Model == model).ToList();
            var plotted = PlottedTest.Of(ofModel, "auc");
            var file = MetricBarsFile(model);
            if (plotted.Undefined)
            {
                _notDrawn.Add((file, plotted));
                continue;
            }
            var summary = plan.Methods.Select(m => MetricSummary.Of(ofModel.Where(r => r.Method == m).Select(plotted.Value).ToList())).ToList();
            var plotTitle = $"{char.ToUpperInvariant(plotted.Measure[0])}{plotted.Measure[1..]} by method, {model}{plotted.Note}";
            Plots.MetricBars(Path.Combine(outputDirectory, file), plotTitle, "AUC",
                plan.Methods, summary.Select(s => s.Mean).ToList(), summary.Select(s => s.Std).ToList());
        }
    }

    /// <summary>The --lr-ratio study's runs and reports, and table.md again with the study's section.</summary>
    public void WriteRatioStudy(IReadOnlyList<RunResult> mainRuns) => _writeTable(RatioStudy(mainRuns));

    /// <summary>
    /// Why some test metrics are undefined on the observed labels and on the true ones (null where all are defined); every run
    /// shares the split, so the first run with an undefined metric says it for all.
    /// </summary>
    private (string? Observed, string? Clean) Undefined(IReadOnlyList<RunResult> runs)
    {
        var (data, truth) = (runner.Data, runner.Truth);
        var observed = runs.FirstOrDefault(r => UndefinedMetrics.Of(r.Test).Count > 0) is { } o
            ? UndefinedMetrics.Why(o.Test, data.Test, data.Test.Labels, "observed test", observed: true) : null;
        var clean = truth is not null && runs.FirstOrDefault(r => r.CleanTest is { } c && UndefinedMetrics.Of(c).Count > 0) is { } withClean
            ? UndefinedMetrics.Why(withClean.CleanTest!, data.Test, TrueLabels.Of(data, data.Test, truth), "true (clean) test", observed: false) : null;
        return (observed, clean);
    }

    /// <summary>The one line that says which plots were not drawn, and why: an empty frame would say nothing.</summary>
    private static string NotDrawnLine(IReadOnlyList<(string File, PlottedTest Plotted)> plots)
    {
        var metrics = plots.Select(p => UndefinedMetrics.Header(p.Plotted.Metric)).Distinct().ToList();
        return $"not drawn: {string.Join(", ", plots.Select(p => p.File))}: {string.Join(" and ", metrics)} {(metrics.Count == 1 ? "is" : "are")} undefined on the observed " +
            "test labels (table.md says why), and with no ground truth beside the log there is no clean test to plot instead";
    }

    /// <summary>The line under a paired table whose cells are "–" because their metric is undefined on these labels.</summary>
    private static string NoDifference(string? undefined) =>
        undefined is null ? "" : $"\n–: no paired difference: {undefined}.\n";

    /// <summary>With a baseline: every method against it on the full ranking's metrics (Markdown, and results.json's comparisons_full_ranking).</summary>
    private string? RankingSignificance(IReadOnlyList<RunResult> runs, Dictionary<string, object?> extra)
    {
        if (plan.Baseline is not { } baseline) return null;
        var comparisons = Comparisons.OnFullRanking(baseline, runs);
        if (comparisons.Count == 0) return null;
        extra["comparisons_full_ranking"] = SignificanceJson.Of(baseline, comparisons, []);
        var columns = runs[0].FullRanking!.Names.Select(n => (n, n.StartsWith("recall@", StringComparison.Ordinal) ? "Recall@" + n[7..] : "NDCG@" + n[5..])).ToList();
        return $"\n## Against {baseline}: paired differences over seeds (full ranking)\n\n" + SignificanceTable.Markdown(baseline, comparisons, columns: columns);
    }

    /// <summary>
    /// RQ4: IG with η_s = ratio·η for each ratio, per model; AUC and GAUC against the ratio, and table.md's section of it (returned).
    /// A ratio that gives the main ig runs' η_s takes their results: trained again, they would be the same runs.
    /// </summary>
    private string RatioStudy(IReadOnlyList<RunResult> mainRuns)
    {
        var byModel = new Dictionary<string, List<List<RunResult>>>();
        foreach (var model in plan.Models)
        {
            byModel[model] = [];
            foreach (var ratio in plan.LearningRateRatios)
            {
                if (!plan.RatioRuns.Contains(ratio))
                {
                    runner.Log(FormattableString.Invariant($"lr-ratio {ratio:G6}: η_s {plan.Base.LearningRate * ratio:G3} is the main {InverseGradientMethod.MethodName} runs' own: their results are the study's at this ratio, not trained again"));
                    byModel[model].Add([.. mainRuns.Where(r => r.Model == model && r.Method == InverseGradientMethod.MethodName)]);
                    continue;
                }
                var atRatio = new List<RunResult>();
                for (var repeat = 0; repeat < plan.Repeats; repeat++)
                {
                    var settings = (plan.Base with
                    {
                        Model = model, Method = InverseGradientMethod.MethodName, Seed = plan.Base.Seed + repeat, SplitSeed = plan.Base.EffectiveSplitSeed,
                    }).WithOption(InverseGradientMethod.SampleLearningRate, plan.Base.LearningRate * ratio);
                    atRatio.Add(runner.RunOne(settings, Experiment.Plan.RatioRunFolder(outputDirectory, model, ratio, settings.Seed), runner.Observer));
                }
                byModel[model].Add(atRatio);
            }
        }
        // As after the main runs: one cancelled after the study's last run's last check is honoured before its reports.
        runner.Cancel.ThrowIfCancellationRequested();
        var studyRuns = byModel.Values.SelectMany(l => l.SelectMany(r => r)).ToList();
        foreach (var metric in RatioMetrics)
        {
            // As the AUC bars: on implicit labels, the clean test's where the runs have it, else not drawn (never an empty plot of NaN).
            var plotted = PlottedTest.Of(studyRuns, metric);
            var file = RatioPlotFile(metric);
            if (plotted.Undefined)
            {
                _notDrawn.Add((file, plotted));
                continue;
            }
            var series = plan.Models.Select(m =>
            {
                var summaries = byModel[m].Select(runs => MetricSummary.Of(runs.Select(plotted.Value).ToList())).ToList();
                return new RatioSeries(m, summaries.Select(s => s.Mean).ToList(), summaries.Select(s => s.Std).ToList());
            }).ToList();
            Plots.LearningRateRatio(Path.Combine(outputDirectory, file), plan.LearningRateRatios, plotted.Measure, series, plotted.Note);
            if (plotted.Clean) runner.Log($"lr-ratio: {file} plots {plotted.Measure}{plotted.Note}");
        }
        RatioStudyJson.Write(Path.Combine(outputDirectory, RatioStudyJson.FileName), plan.LearningRateRatios, plan.Base.LearningRate,
            plan.Models.Select(model => (model, byModel[model])));
        // A row per ratio, as table.md's per method: the runs named by their ratio.
        var byRatio = plan.Models.SelectMany(model => byModel[model].SelectMany((runs, r) => runs.Select(run => run with
        {
            Method = FormattableString.Invariant($"{plan.LearningRateRatios[r]:G6} (η_s {plan.Base.LearningRate * plan.LearningRateRatios[r]:G3})"),
        }))).ToList();
        var section = $"\n## IG's η_s / η (--lr-ratio; {RatioStudyJson.FileName} holds every run)\n\n" + ResultsTable.Markdown(byRatio, rowHeader: "η_s / η");
        if (byRatio.Any(r => r.CleanTest is not null))
            section += "\nOn the true labels (clean test):\n\n" + ResultsTable.Markdown(byRatio, clean: true, rowHeader: "η_s / η");
        return section;
    }

    /// <summary>The metrics the --lr-ratio study plots against the ratio.</summary>
    private static readonly string[] RatioMetrics = ["auc", "gauc"];

    private static string MetricBarsFile(string model) => $"auc_{model}.png";

    private static string RatioPlotFile(string metric) => $"lr_ratio_{metric}.png";

    /// <summary>
    /// The files the experiment writes in its --out, under names fixed or made of its models' and the study's metrics: its tables,
    /// results.json, the AUC bars per model, and the --lr-ratio study's JSON and plots when it has one.
    /// </summary>
    public static IReadOnlyList<string> Files(Experiment.Plan plan) =>
    [
        ResultsTable.FileName, FullRankingTable.FileName, ResultsJson.FileName, .. plan.Models.Select(MetricBarsFile),
        .. plan.LearningRateRatios.Count > 0 ? [RatioStudyJson.FileName, .. RatioMetrics.Select(RatioPlotFile)] : Array.Empty<string>(),
    ];
}
