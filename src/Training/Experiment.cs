using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training;

/// <summary>
/// Methods × models on one dataset — the same split for all, training seeds
/// seed, seed+1, … per repeat — written as the paper's Table 1 (table.md), results.json
/// and a bar plot of test AUC per method; with a baseline and at least 2 repeats, every method
/// against it (paired by seed, with significance); optionally the RQ4 study of IG's η_s / η.
/// </summary>
public static class Experiment
{
    /// <param name="Baseline">The reference method of the paired statistics; null for none.</param>
    /// <param name="Jobs">Runs trained at once (each with the settings' own threads); results do not depend on it.</param>
    /// <param name="Source">The log and the flags that read and labeled it, recorded with the results; null where no command line gave them.</param>
    public sealed record Plan(TrainSettings Base, IReadOnlyList<string> Methods, IReadOnlyList<string> Models, int Repeats,
        IReadOnlyList<double> LearningRateRatios, string? Baseline = null, int Jobs = 1, DataSource? Source = null)
    {
        public const int MaxJobs = 64;

        /// <summary>Runs that train at once: <see cref="Jobs"/>, or fewer when there are fewer runs (the --lr-ratio study's run one by one).</summary>
        public int RunsAtOnce => Math.Min(Jobs, Repeats * Methods.Count * Models.Count);

        /// <summary>Throws <see cref="ArgumentException"/> when a repeat's seed would not fit an int, or statistics are asked for but cannot be computed.</summary>
        public void Validate()
        {
            // Seeds seed … seed+repeats−1 would wrap around to negative ones past int.MaxValue.
            var lastSeed = (long)Base.Seed + Repeats - 1;
            if (lastSeed > int.MaxValue)
                throw new ArgumentException($"--seed {Base.Seed} with --repeats {Repeats} needs seeds up to {lastSeed}, past the largest seed {int.MaxValue}; " +
                                            $"give --seed {int.MaxValue - Repeats + 1} or less");
            if (Jobs is < 1 or > MaxJobs) throw new ArgumentException($"--jobs must be from 1 to {MaxJobs}, got {Jobs}");
            // The study is IG's, and its runs at the default η_s are the main ig runs: without them it would train a method --methods left out.
            if (LearningRateRatios.Count > 0 && !Methods.Contains(InverseGradientMethod.MethodName))
                throw new ArgumentException($"--lr-ratio studies IG's η_s / η, and --methods ({string.Join(",", Methods)}) has no {InverseGradientMethod.MethodName}: " +
                                            $"add {InverseGradientMethod.MethodName} to --methods, or leave --lr-ratio out");
            if (Baseline is null) return;
            if (!Methods.Contains(Baseline))
                throw new ArgumentException(Training.Methods.MethodRegistry.Names.Contains(Baseline)
                    ? $"--baseline {Baseline} is not one of --methods ({string.Join(",", Methods)}); the baseline must be trained too"
                    // A misspelling (nss) or another case (NS): told so, with the method it most likely meant, one of the plan's first.
                    : $"--baseline {Baseline} is no method; expected one of --methods ({string.Join(",", Methods)})" +
                      (Serving.Spelling.Nearest(Baseline, Methods) is { } meant ? $"; did you mean {meant}?" : Serving.Spelling.DidYouMean(Baseline, Training.Methods.MethodRegistry.Names)));
            if (Repeats < 2)
                throw new ArgumentException($"--baseline needs --repeats of at least 2 (got {Repeats}): paired statistics over seeds need two pairs or more");
            if (Methods.Count < 2)
                throw new ArgumentException($"--baseline {Baseline} is the only one of --methods: there is no other method to compare with it; add one, or leave --baseline out");
        }
    }

    /// <summary>
    /// The runs, and (when the plan has a baseline) every method against it on the observed test labels and on the true ones;
    /// <paramref name="ObservedUndefined"/>: why some metrics are undefined on the observed labels
    /// (implicit feedback: every observed test row is positive), null when all are defined.
    /// </summary>
    public sealed record Outcome(IReadOnlyList<RunResult> Runs, IReadOnlyList<Comparison> Comparisons, IReadOnlyList<Comparison>? CleanComparisons = null,
        string? ObservedUndefined = null);

    /// <param name="claimRunFolder">Holds a run's folder for as long as the run writes into it (the command line's lock), so that a
    /// train into the same folder meanwhile is refused rather than mixing its files with the run's.</param>
    /// <param name="reusedRun">Told the folder of each run reused from an earlier start of the experiment (<see cref="FinishedRun"/>).</param>
    public static Outcome Run(Plan plan, PreparedDataset data, GroundTruth? truth, string outputDirectory,
        ITrainingObserver? observer, Action<string> log, CancellationToken cancel = default, Func<string, IDisposable>? claimRunFolder = null,
        Action<string>? reusedRun = null)
    {
        plan.Validate();
        // A folder where a run writes metrics.json (or another of its files) failed that run only at its end, after its training.
        foreach (var folder in RunFolders(plan, outputDirectory)) Cli.OutputFolder.RequireFileSlots(folder, "--out", RunFiles.Slots);
        // The experiment's own reports likewise, which it writes only once every run has trained.
        Cli.OutputFolder.RequireFileSlots(outputDirectory, "--out", ReportFiles(plan), "the experiment");
        var runner = new Runner(data, truth, observer, log, claimRunFolder, reusedRun, cancel, new DataRecord(plan.Source, truth is not null, DataFingerprint.Of(data)),
            plan.Repeats * plan.Models.Count * (plan.Methods.Count + RatioRuns(plan).Count));
        try
        {
            return Run(plan, outputDirectory, runner);
        }
        catch (OperationCanceledException)
        {
            // A kill leaves the same: each finished run's folder, reused when the same experiment is started again.
            log($"cancelled: {runner.Finished} of {Counted.Of(runner.Total, "run")} finished and are kept in {outputDirectory}; run the same command again to go on: " +
                "it reuses them and trains the rest");
            throw;
        }
    }

    private static Outcome Run(Plan plan, string outputDirectory, Runner runner)
    {
        var (data, truth, log, cancel) = (runner.Data, runner.Truth, runner.Log, runner.Cancel);
        IReadOnlyList<Comparison> comparisons = [], cleanComparisons = [];
        var notDrawn = new List<(string File, PlottedTest Plotted)>();
        string? observedUndefined = null, cleanUndefined = null;
        Action<string?> writeTable = _ => { };
        var planned = (from model in plan.Models
                       from method in plan.Methods
                       from repeat in Enumerable.Range(0, plan.Repeats)
                       select plan.Base with { Model = model, Method = method, Seed = plan.Base.Seed + repeat, SplitSeed = plan.Base.EffectiveSplitSeed }).ToList();
        var runs = RunAll(plan.Jobs, planned, s => RunFolder(outputDirectory, s.Model, s.Method, s.Seed), runner);
        // A run checks the token only while it runs: one cancelled after the last run's last check is honoured here, not after the reports.
        cancel.ThrowIfCancellationRequested();

        if (runs.Count > 0)
        {
            var title = $"{Counted.Of(plan.Methods.Count, "method")} × {Counted.Of(plan.Models.Count, "model")}, {Counted.Of(plan.Repeats, "repeat")}\n\n{runner.Record.Line()}";
            // The experiment as a whole: its base settings alone would describe a run of one model, method and seed that never happened.
            var extra = new Dictionary<string, object?> { [ExperimentRecord.Field] = ExperimentRecord.Of(plan), [DataRecord.Field] = runner.Record.ToJson() };
            (observedUndefined, cleanUndefined) = Undefined(runs, data, truth);
            string? appendix = null;
            if (plan.Baseline is { } baseline)
            {
                comparisons = Comparisons.Against(baseline, runs);
                var clean = cleanComparisons = Comparisons.Against(baseline, runs, clean: true);
                appendix = $"\n## Against {baseline}: paired differences over seeds (observed labels)\n\n" + SignificanceTable.Markdown(baseline, comparisons)
                    + NoDifference(observedUndefined);
                if (clean.Count > 0)
                    appendix += $"\n## Against {baseline} on the true labels (clean test)\n\n" + SignificanceTable.Markdown(baseline, clean) + NoDifference(cleanUndefined);
                extra["comparisons"] = SignificanceJson.Of(baseline, comparisons, clean);
            }
            var (undefinedObserved, undefinedClean) = (observedUndefined, cleanUndefined);
            writeTable = study => ResultsTable.Write(Path.Combine(outputDirectory, ResultsTable.FileName), title, runs, appendix: appendix + study,
                observedUndefined: undefinedObserved, cleanUndefined: undefinedClean);
            writeTable(null);
            if (runs.All(r => r.FullRanking is not null))
                FullRankingTable.Write(Path.Combine(outputDirectory, FullRankingTable.FileName), title, runs, RankingSignificance(plan, runs, extra));
            ResultsJson.Write(Path.Combine(outputDirectory, ResultsJson.FileName), runs, extra);
            foreach (var model in plan.Models)
            {
                var ofModel = runs.Where(r => r.Model == model).ToList();
                var plotted = PlottedTest.Of(ofModel, "auc");
                var file = MetricBarsFile(model);
                if (plotted.Undefined)
                {
                    notDrawn.Add((file, plotted));
                    continue;
                }
                var summary = plan.Methods.Select(m => MetricSummary.Of(ofModel.Where(r => r.Method == m).Select(plotted.Value).ToList())).ToList();
                var plotTitle = $"{char.ToUpperInvariant(plotted.Measure[0])}{plotted.Measure[1..]} by method, {model}{plotted.Note}";
                Plots.MetricBars(Path.Combine(outputDirectory, file), plotTitle, "AUC",
                    plan.Methods, summary.Select(s => s.Mean).ToList(), summary.Select(s => s.Std).ToList());
            }
        }

        // table.md is written before the study, so that a cancel inside it keeps the main table, and again with the study's.
        if (plan.LearningRateRatios.Count > 0) writeTable(RatioStudy(plan, outputDirectory, runner, notDrawn, runs));
        if (runner.Reused > 0) log($"reused {runner.Reused} of {Counted.Of(runner.Total, "run")} finished by an earlier start of this experiment (same settings and data); trained {runner.Total - runner.Reused}");
        if (notDrawn.Count > 0) log(NotDrawn(notDrawn));
        // Not checked again once the reports are written: they are whole, and the experiment ends as finished (exit 0), as an
        // export past its last check does.
        return new Outcome(runs, comparisons, cleanComparisons, observedUndefined);
    }

    /// <summary>
    /// Why some test metrics are undefined on the observed labels and on the true ones (null where all are defined); every run
    /// shares the split, so the first run with an undefined metric says it for all.
    /// </summary>
    private static (string? Observed, string? Clean) Undefined(IReadOnlyList<RunResult> runs, PreparedDataset data, GroundTruth? truth)
    {
        var observed = runs.FirstOrDefault(r => UndefinedMetrics.Of(r.Test).Count > 0) is { } o
            ? UndefinedMetrics.Why(o.Test, data.Test, data.Test.Labels, "observed test", observed: true) : null;
        var clean = truth is not null && runs.FirstOrDefault(r => r.CleanTest is { } c && UndefinedMetrics.Of(c).Count > 0) is { } withClean
            ? UndefinedMetrics.Why(withClean.CleanTest!, data.Test, TrueLabels.Of(data, data.Test, truth), "true (clean) test", observed: false) : null;
        return (observed, clean);
    }

    /// <summary>The one line that says which plots were not drawn, and why: an empty frame would say nothing.</summary>
    private static string NotDrawn(IReadOnlyList<(string File, PlottedTest Plotted)> plots)
    {
        var metrics = plots.Select(p => UndefinedMetrics.Header(p.Plotted.Metric)).Distinct().ToList();
        return $"not drawn: {string.Join(", ", plots.Select(p => p.File))}: {string.Join(" and ", metrics)} {(metrics.Count == 1 ? "is" : "are")} undefined on the observed " +
            "test labels (table.md says why), and with no ground truth beside the log there is no clean test to plot instead";
    }

    /// <summary>The line under a paired table whose cells are "–" because their metric is undefined on these labels.</summary>
    private static string NoDifference(string? undefined) =>
        undefined is null ? "" : $"\n–: no paired difference: {undefined}.\n";

    /// <summary>With a baseline: every method against it on the full ranking's metrics (Markdown, and results.json's comparisons_full_ranking).</summary>
    private static string? RankingSignificance(Plan plan, IReadOnlyList<RunResult> runs, Dictionary<string, object?> extra)
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
    private static string RatioStudy(Plan plan, string outputDirectory, Runner runner, List<(string File, PlottedTest Plotted)> notDrawn, IReadOnlyList<RunResult> mainRuns)
    {
        var (log, cancel) = (runner.Log, runner.Cancel);
        var byModel = new Dictionary<string, List<List<RunResult>>>();
        foreach (var model in plan.Models)
        {
            byModel[model] = [];
            foreach (var ratio in plan.LearningRateRatios)
            {
                if (!RatioRuns(plan).Contains(ratio))
                {
                    log(FormattableString.Invariant($"lr-ratio {ratio:G6}: η_s {plan.Base.LearningRate * ratio:G3} is the main {InverseGradientMethod.MethodName} runs' own: their results are the study's at this ratio, not trained again"));
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
                    atRatio.Add(runner.RunOne(settings, RatioRunFolder(outputDirectory, model, ratio, settings.Seed), runner.Observer));
                }
                byModel[model].Add(atRatio);
            }
        }
        // As after the main runs: one cancelled after the study's last run's last check is honoured before its reports.
        cancel.ThrowIfCancellationRequested();
        var studyRuns = byModel.Values.SelectMany(l => l.SelectMany(r => r)).ToList();
        foreach (var metric in RatioMetrics)
        {
            // As the AUC bars: on implicit labels, the clean test's where the runs have it, else not drawn (never an empty plot of NaN).
            var plotted = PlottedTest.Of(studyRuns, metric);
            var file = RatioPlotFile(metric);
            if (plotted.Undefined)
            {
                notDrawn.Add((file, plotted));
                continue;
            }
            var series = plan.Models.Select(m =>
            {
                var summaries = byModel[m].Select(runs => MetricSummary.Of(runs.Select(plotted.Value).ToList())).ToList();
                return new RatioSeries(m, summaries.Select(s => s.Mean).ToList(), summaries.Select(s => s.Std).ToList());
            }).ToList();
            Plots.LearningRateRatio(Path.Combine(outputDirectory, file), plan.LearningRateRatios, plotted.Measure, series, plotted.Note);
            if (plotted.Clean) log($"lr-ratio: {file} plots {plotted.Measure}{plotted.Note}");
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
    public static IReadOnlyList<string> ReportFiles(Plan plan) =>
    [
        ResultsTable.FileName, FullRankingTable.FileName, ResultsJson.FileName, .. plan.Models.Select(MetricBarsFile),
        .. plan.LearningRateRatios.Count > 0 ? [RatioStudyJson.FileName, .. RatioMetrics.Select(RatioPlotFile)] : Array.Empty<string>(),
    ];

    /// <summary>Every run's folder: the main runs' and the --lr-ratio study's.</summary>
    private static IEnumerable<string> RunFolders(Plan plan, string outputDirectory) =>
        from model in plan.Models
        from seed in Enumerable.Range(plan.Base.Seed, plan.Repeats)
        from folder in plan.Methods.Select(method => RunFolder(outputDirectory, model, method, seed))
            .Concat(RatioRuns(plan).Select(ratio => RatioRunFolder(outputDirectory, model, ratio, seed)))
        select folder;

    private static string RunFolder(string outputDirectory, string model, string method, int seed) => Path.Combine(outputDirectory, model, method, $"seed{seed}");

    private static string RatioRunFolder(string outputDirectory, string model, double ratio, int seed) =>
        Path.Combine(outputDirectory, "lr-ratio", model, $"ratio{ratio}", $"seed{seed}");

    /// <summary>The --lr-ratio study's ratios that train runs of their own: all but the one at the main ig runs' η_s.</summary>
    private static IReadOnlyList<double> RatioRuns(Plan plan) =>
        [.. plan.LearningRateRatios.Where(ratio => plan.Base.LearningRate * ratio != plan.Base.Option(InverseGradientMethod.SampleLearningRate))];

    /// <summary>
    /// Every run, <paramref name="jobs"/> at a time, results in the plan's order. Runs share
    /// only the prepared data, which they read; each has its own seeds, so the results are those
    /// of one run after another. With several at once, per-batch progress is not drawn.
    /// </summary>
    private static List<RunResult> RunAll(int jobs, IReadOnlyList<TrainSettings> planned, Func<TrainSettings, string> directory, Runner runner)
    {
        var results = new RunResult[planned.Count];
        if (jobs == 1)
        {
            for (var i = 0; i < planned.Count; i++) results[i] = runner.RunOne(planned[i], directory(planned[i]), runner.Observer);
            return [.. results];
        }
        try
        {
            Parallel.For(0, planned.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = runner.Cancel },
                i => results[i] = runner.RunOne(planned[i], directory(planned[i]), runObserver: null));
        }
        catch (AggregateException e)
        {
            // The first run's failure, as a run alone would report it (one line at the CLI, not a wrapper).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return [.. results];
    }

    /// <summary>What every run of one experiment shares, and how many of its <see cref="Total"/> runs have started and finished (counted across jobs).</summary>
    private sealed class Runner(PreparedDataset data, GroundTruth? truth, ITrainingObserver? observer, Action<string> log,
        Func<string, IDisposable>? claimRunFolder, Action<string>? reusedRun, CancellationToken cancel, DataRecord record, int total)
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private int _started, _finished, _reused;

        public PreparedDataset Data => data;
        public GroundTruth? Truth => truth;
        public ITrainingObserver? Observer => observer;
        public Action<string> Log => log;
        public CancellationToken Cancel => cancel;
        public DataRecord Record => record;
        public int Total => total;
        public int Finished => Volatile.Read(ref _finished);
        public int Reused => Volatile.Read(ref _reused);

        public RunResult RunOne(TrainSettings settings, string directory, ITrainingObserver? runObserver)
        {
            var name = $"{settings.Model} / {settings.Method} / seed {settings.Seed}";
            var number = Interlocked.Increment(ref _started);
            var finished = FinishedRun.Read(settings, directory, record, truth is not null, out var why);
            if (finished is not null)
            {
                Interlocked.Increment(ref _reused);
                Interlocked.Increment(ref _finished);
                reusedRun?.Invoke(directory);
                log($"{name}: run {number} of {total}: reused, finished by an earlier start of this experiment with the same settings and data ({directory})");
                return finished;
            }
            if (why is not null) log($"{name}: {directory} {why}; trained again");
            using var claim = claimRunFolder?.Invoke(directory);
            var sampleRate = settings.Method == InverseGradientMethod.MethodName ? $" (η_s = {settings.Option(InverseGradientMethod.SampleLearningRate):G3})" : "";
            log($"{name}{sampleRate}: run {number} of {total}{Progress()}");
            var outcome = TrainingRun.Execute(settings, data, truth, directory, runObserver, cancel: cancel, dataRecord: record);
            Interlocked.Increment(ref _finished);
            // An undefined figure (implicit feedback's all-positive test rows) is n/a, never NaN; table.md says why.
            log($"{name}: test AUC {UndefinedMetrics.Shown(outcome.Test.Auc)}, GAUC {UndefinedMetrics.Shown(outcome.Test.Gauc)}, NDCG@10 {UndefinedMetrics.Shown(outcome.Test.Ndcg10)}" +
                (outcome.TestUndefined is not null ? " (n/a: undefined on the observed test labels, table.md says why)" : "") +
                (outcome.CleanTest is { } c ? $"; clean AUC {UndefinedMetrics.Shown(c.Auc)}, GAUC {UndefinedMetrics.Shown(c.Gauc)}" : ""));
            return new RunResult(settings.Method, settings.Model, settings.Seed, outcome.Test, outcome.CleanTest, outcome.FullRanking);
        }

        // Elapsed, and once a run has been trained, the rest at the pace of those trained so far (reused ones took no time).
        private string Progress()
        {
            var elapsed = _clock.Elapsed;
            var trained = Finished - Reused;
            var left = trained > 0 ? $", about {Shown(elapsed / trained * (total - Finished))} left" : "";
            return $" ({Shown(elapsed)} elapsed{left})";
        }

        private static string Shown(TimeSpan time) => time.TotalHours >= 1 ? $"{(int)time.TotalHours}h{time.Minutes:00}m" : $"{time.Minutes}m{time.Seconds:00}s";
    }
}
