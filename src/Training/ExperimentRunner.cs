using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training;

/// <summary>
/// Trains an experiment's runs, or reuses those an earlier start of it finished: what every run shares, and how many of its
/// <see cref="Total"/> runs have started and finished (counted across jobs), told with the time elapsed and an estimate of the rest.
/// </summary>
internal sealed class ExperimentRunner(PreparedDataset data, GroundTruth? truth, ITrainingObserver? observer, Action<string> log,
    Func<string, IDisposable>? claimRunFolder, Action<string>? keptRun, CancellationToken cancel, DataRecord record, int total)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _finished, _reused;
    // Runs are numbered as their lines print, under this: numbered before the reuse check's and the folder claim's I/O, a run of
    // --jobs 2 could print "run 2" before "run 1".
    private readonly Lock _numbering = new();
    private int _numbered;

    public PreparedDataset Data => data;
    public GroundTruth? Truth => truth;
    public ITrainingObserver? Observer => observer;
    public Action<string> Log => log;
    public CancellationToken Cancel => cancel;
    public DataRecord Record => record;
    public int Total => total;
    public int Finished => Volatile.Read(ref _finished);
    public int Reused => Volatile.Read(ref _reused);

    /// <summary>
    /// Every run, <paramref name="jobs"/> at a time, results in the plan's order. Runs share
    /// only the prepared data, which they read; each has its own seeds, so the results are those
    /// of one run after another. With several at once, per-batch progress is not drawn.
    /// </summary>
    public List<RunResult> RunAll(int jobs, IReadOnlyList<TrainSettings> planned, Func<TrainSettings, string> directory)
    {
        var results = new RunResult[planned.Count];
        if (jobs == 1)
        {
            for (var i = 0; i < planned.Count; i++) results[i] = RunOne(planned[i], directory(planned[i]), observer);
            return [.. results];
        }
        try
        {
            Parallel.For(0, planned.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancel },
                i => results[i] = RunOne(planned[i], directory(planned[i]), runObserver: null));
        }
        catch (AggregateException e)
        {
            // The first run's failure, as a run alone would report it (one line at the CLI, not a wrapper).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return [.. results];
    }

    public RunResult RunOne(TrainSettings settings, string directory, ITrainingObserver? runObserver)
    {
        // Recorded with the options it reads alone: another grid's flag for another model or method does not make it another run.
        settings = settings.WithOwnOptionsOnly();
        var name = $"{settings.Model} / {settings.Method} / seed {settings.Seed}";
        var runRecord = record.ForRun(settings);
        var finished = FinishedRun.Read(settings, directory, runRecord, truth is not null, out var why);
        if (finished is not null)
        {
            Interlocked.Increment(ref _reused);
            Interlocked.Increment(ref _finished);
            keptRun?.Invoke(directory);
            LogNumbered(number => $"{name}: run {number} of {total}: reused, finished by an earlier start of this experiment with the same settings and data ({directory})");
            return finished;
        }
        if (why is not null) log($"{name}: {directory} {why}; trained again");
        using var claim = claimRunFolder?.Invoke(directory);
        // Only a run stopped before its metrics.json (written last) is resumed: one that has it, not reused, is trained again.
        // Looked for once the folder is held: a train into it meanwhile would be writing the checkpoint.
        string? resumeFrom = null, notResumed = null;
        Artifacts.RunState? saved = null;
        if (why is null) resumeFrom = ResumableRun.Find(settings, directory, runRecord, out saved, out notResumed);
        if (notResumed is not null) log($"{name}: {directory} {notResumed}; trained again from scratch");
        // A resumed run's earlier files (its epoch-1 annotation, a best checkpoint not bettered since) are its own.
        if (resumeFrom is not null) keptRun?.Invoke(directory);
        var sampleRate = settings.Method == InverseGradientMethod.MethodName ? $" (η_s = {settings.Option(InverseGradientMethod.SampleLearningRate):G3})" : "";
        LogNumbered(number => $"{name}{sampleRate}: run {number} of {total}{(resumeFrom is null ? "" : $": resumed {saved!.Describe()}")}{Progress()}");
        TrainingOutcome outcome;
        try
        {
            outcome = TrainingRun.Execute(settings, data, truth, directory, runObserver, resumeFrom, cancel, dataRecord: runRecord);
        }
        // Tables whose checksum does not match, under a header that reads whole, or a schedule that ends before the checkpoint
        // (fewer --epochs than it trained): found only as they load, before any training.
        catch (Exception e) when (resumeFrom is not null && e is Artifacts.CheckpointException or ScheduleBehindException)
        {
            log($"{name}: {(e is ScheduleBehindException behind ? $"{directory} cannot be resumed: {behind.Reason}" : e.Message.TrimEnd('.'))}; trained again from scratch");
            outcome = TrainingRun.Execute(settings, data, truth, directory, runObserver, cancel: cancel, dataRecord: runRecord);
        }
        Interlocked.Increment(ref _finished);
        // An undefined figure (implicit feedback's all-positive test rows) is n/a, never NaN; table.md says why.
        log($"{name}: test AUC {UndefinedMetrics.Shown(outcome.Test.Auc)}, GAUC {UndefinedMetrics.Shown(outcome.Test.Gauc)}, NDCG@10 {UndefinedMetrics.Shown(outcome.Test.Ndcg10)}" +
            (outcome.TestUndefined is not null ? " (n/a: undefined on the observed test labels, table.md says why)" : "") +
            (outcome.CleanTest is { } c ? $"; clean AUC {UndefinedMetrics.Shown(c.Auc)}, GAUC {UndefinedMetrics.Shown(c.Gauc)}" : ""));
        return new RunResult(settings.Method, settings.Model, settings.Seed, outcome.Test, outcome.CleanTest, outcome.FullRanking);
    }

    // The run's line with the next number: the lines print in their numbers' order, and only the printing waits on another run.
    private void LogNumbered(Func<int, string> line)
    {
        lock (_numbering) log(line(++_numbered));
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
