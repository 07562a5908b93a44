using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Analysis;

namespace InverseLearning.Training.Stages;

/// <summary>The training stage: the plan trained to its end (from a checkpoint when resumed), the best epoch's parameters restored, checkpoints in the run folder.</summary>
public static class TrainStage
{
    /// <param name="placement">Where the parameters live (a cluster's shards) and the run's part among workers; by default the settings' --store, alone.</param>
    /// <returns>The trained trainer (the caller disposes it) and, on a simulated log, the annotation quality after epoch 1.</returns>
    public static (Trainer Trainer, AnnotationQuality? AfterFirstEpoch) Run(TrainSettings settings, PreparedDataset data, GroundTruth? truth, string outputDirectory,
        ITrainingObserver? observer, string? resumeFrom, CancellationToken cancel, Runtime.RunPlacement? placement = null)
    {
        var trainer = new Trainer(settings, data, observer, store: placement?.Store, sync: placement?.Sync, selection: Selection.ModelSelection.Create(settings, data, truth));
        try
        {
            if (resumeFrom is not null) trainer.Resume(resumeFrom, Path.Combine(Path.GetDirectoryName(resumeFrom)!, Checkpoint.BestFileName));
            var firstEpoch = truth is null || data.Streamed is not null ? null : FirstEpochAnnotation.Track(trainer, truth, outputDirectory);
            trainer.Run(outputDirectory, cancel);
            return (trainer, firstEpoch?.Value);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }
}
