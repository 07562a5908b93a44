using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Stages;

namespace InverseLearning.Training;

/// <summary>
/// A whole training run, as `train` performs it, as four stages: train the plan, evaluate the
/// best epoch, export what serves it, report what was measured (<see cref="Stages"/>).
/// </summary>
public static class TrainingRun
{
    /// <param name="dataRecord">What the run was trained on, for its metrics.json (an experiment's runs); null for none.</param>
    public static TrainingOutcome Execute(TrainSettings settings, PreparedDataset data, GroundTruth? truth, string outputDirectory,
        ITrainingObserver? observer = null, string? resumeFrom = null, CancellationToken cancel = default, Runtime.RunPlacement? placement = null,
        Reports.DataRecord? dataRecord = null)
    {
        // Checked before training: a bad --topk or --test-positives fails in seconds, not after the run.
        var ranking = settings.FullRankingTopK is { } ks ? EvaluateStage.FullRankingSetup(data, truth, ks) : null;
        Directory.CreateDirectory(outputDirectory);
        var (trainer, afterFirstEpoch) = TrainStage.Run(settings, data, truth, outputDirectory, observer, resumeFrom, cancel, placement);
        using (trainer)
        {
            // A signal after the last epoch still cancels: the evaluation looks between its parts, and nothing is exported after it.
            var evaluation = EvaluateStage.Run(trainer, truth, ranking, cancel);
            cancel.ThrowIfCancellationRequested();
            // metrics.json last, with model.onnx and its seen list, all three written before any lands: a run stopped (killed, or failing
            // on a full disk) before its end leaves none, and one that has metrics.json, which an experiment started again reuses, has every other file.
            var reports = ReportStage.WriteReports(trainer, outputDirectory, evaluation, afterFirstEpoch);
            ExportStage.Run(trainer, outputDirectory, evaluation.Test, ReportStage.MetricsFile(trainer, outputDirectory, evaluation, afterFirstEpoch, reports, dataRecord));
            return new TrainingOutcome(settings, evaluation.Valid, evaluation.Test, evaluation.CleanTest, evaluation.Annotation,
                trainer.TrainSeconds, ReportStage.RowsPerSecond(trainer), trainer.BestEpoch, outputDirectory, evaluation.FullRanking,
                evaluation.TestUndefined, evaluation.CleanTestUndefined);
        }
    }
}
