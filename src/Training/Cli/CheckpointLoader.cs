using System.CommandLine;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Cli;

/// <summary>
/// Rebuilds a trainer from a checkpoint: its saved settings, the log's split from the saved
/// split seed (and by time when the run was split so), then its parameters. The data options
/// (labels, thresholds) must be the ones the run was trained with; the extra feedback is the one it records, where it does. The trainer is rebuilt on
/// the CPU with the host store, whatever device and store the run was trained with.
/// </summary>
public static class CheckpointLoader
{
    /// <param name="budget">The memory the rebuilt trainer may take; the machine's when null.</param>
    public static Trainer Load(ParseResult parse, string checkpointPath, DataOptions data, MemoryBudget? budget = null)
    {
        // Evaluation and export run on this machine's CPU, wherever the run was trained: a checkpoint trained on a GPU
        // is evaluated and exported where no GPU is (its tensors are the same whichever store held them).
        var run = Checkpoint.ReadHeader(checkpointPath).Run;
        var settings = run.Settings with { Device = "cpu", Store = "host" };
        // Settings the user never gave as flags: a bad one is the checkpoint's damage, not a flag's.
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(checkpointPath, $"the settings it holds are not valid for this build ({e.Message}): it is damaged, or from a build with other limits");
        }
        // D* as the run marked it: colliding inference's sparse users, and warm-up's need of it, are counted from it.
        data.TakeRecordedExtraFeedback(parse, settings.ExtraFeedback, $"{checkpointPath}: ");
        data.TakeRecordedLabels(settings.LabelFlags);
        budget ??= MemoryBudget.Machine();
        RunMemoryEstimate.BeforeData(settings).EnsureFits(budget, sizesOfCheckpoint: true);
        data.ReadAsRunRead(run, checkpointPath);
        var prepared = DatasetLoader.Prepare(parse, data, settings);
        DatasetLoader.Estimate(settings, prepared).EnsureFits(budget, sizesOfCheckpoint: true);
        var trainer = new Trainer(settings, prepared, selection: Selection.ModelSelection.ByLoss());
        try
        {
            trainer.Load(checkpointPath);
            Stages.EvaluateStage.AfterTraining(trainer);
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }
}
