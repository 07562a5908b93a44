using System.CommandLine;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Cli;

/// <summary>
/// Rebuilds a trainer from a checkpoint: its saved settings, the log's split from the saved
/// split seed, then its parameters. The data options (labels, thresholds) must be the ones
/// the run was trained with.
/// </summary>
public static class CheckpointLoader
{
    public static Trainer Load(ParseResult parse, string checkpointPath, DataOptions data)
    {
        var settings = Checkpoint.ReadHeader(checkpointPath).Run.Settings;
        var prepared = DatasetLoader.Prepare(parse, data, settings.EffectiveSplitSeed);
        var trainer = new Trainer(settings, prepared);
        try
        {
            trainer.Load(checkpointPath);
            TrainingRun.SetUpColliding(trainer);
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }
}
