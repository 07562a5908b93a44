using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training;

/// <summary>
/// Methods × models on one dataset — the same split for all, training seeds
/// seed, seed+1, … per repeat — written as the paper's Table 1 (table.md), results.json
/// and a bar plot of test AUC per method; with a baseline and at least 2 repeats, every method
/// against it (paired by seed, with significance); optionally the RQ4 study of IG's η_s / η.
/// Its <see cref="Plan"/> says what runs and where, <see cref="ExperimentRunner"/> trains them, <see cref="ExperimentReports"/> writes what they measured.
/// </summary>
public static partial class Experiment
{
    /// <summary>
    /// The runs, and (when the plan has a baseline) every method against it on the observed test labels and on the true ones;
    /// <paramref name="ObservedUndefined"/>: why some metrics are undefined on the observed labels
    /// (implicit feedback: every observed test row is positive), null when all are defined.
    /// </summary>
    public sealed record Outcome(IReadOnlyList<RunResult> Runs, IReadOnlyList<Comparison> Comparisons, IReadOnlyList<Comparison>? CleanComparisons = null,
        string? ObservedUndefined = null);

    /// <param name="claimRunFolder">Holds a run's folder for as long as the run writes into it (the command line's lock), so that a
    /// train into the same folder meanwhile is refused rather than mixing its files with the run's.</param>
    /// <param name="keptRun">Told the folder of each run whose files an earlier start of the experiment wrote: reused (<see cref="FinishedRun"/>),
    /// or resumed from its last.checkpoint (<see cref="ResumableRun"/>).</param>
    public static Outcome Run(Plan plan, PreparedDataset data, GroundTruth? truth, string outputDirectory,
        ITrainingObserver? observer, Action<string> log, CancellationToken cancel = default, Func<string, IDisposable>? claimRunFolder = null,
        Action<string>? keptRun = null)
    {
        plan.Validate();
        // A file where a run's folder goes failed the experiment as that run began, and a folder where a run writes metrics.json
        // (or another of its files) failed that run only at its end: both after the runs before it had trained.
        foreach (var folder in plan.RunFolders(outputDirectory))
        {
            Cli.OutputFolder.RequireRunFolder(outputDirectory, folder, "--out");
            Cli.OutputFolder.RequireFileSlots(folder, "--out", RunFiles.Slots);
        }
        // The experiment's own reports likewise, which it writes only once every run has trained.
        Cli.OutputFolder.RequireFileSlots(outputDirectory, "--out", ExperimentReports.Files(plan), "the experiment");
        var runner = new ExperimentRunner(data, truth, observer, log, claimRunFolder, keptRun, cancel, new DataRecord(plan.Source, truth is not null, DataFingerprint.Of(data)),
            plan.RunCount);
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

    private static Outcome Run(Plan plan, string outputDirectory, ExperimentRunner runner)
    {
        var runs = runner.RunAll(plan.Jobs, plan.MainRuns(), s => Plan.RunFolder(outputDirectory, s.Model, s.Method, s.Seed));
        // A run checks the token only while it runs: one cancelled after the last run's last check is honoured here, not after the reports.
        runner.Cancel.ThrowIfCancellationRequested();
        var reports = new ExperimentReports(plan, outputDirectory, runner);
        reports.WriteMain(runs);
        // table.md is written before the study, so that a cancel inside it keeps the main table, and again with the study's.
        if (plan.LearningRateRatios.Count > 0) reports.WriteRatioStudy(runs);
        if (runner.Reused > 0) runner.Log($"reused {runner.Reused} of {Counted.Of(runner.Total, "run")} finished by an earlier start of this experiment (same settings and data); trained {runner.Total - runner.Reused}");
        if (reports.NotDrawn is { } notDrawn) runner.Log(notDrawn);
        // Not checked again once the reports are written: they are whole, and the experiment ends as finished (exit 0), as an
        // export past its last check does.
        return new Outcome(runs, reports.BaselineComparisons, reports.CleanBaselineComparisons, reports.ObservedUndefined);
    }
}
