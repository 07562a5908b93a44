using System.CommandLine;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Cli;

/// <summary>Rebuilds a trainer from a checkpoint: its saved settings, the same log, labels and split, then its parameters.</summary>
public static class CheckpointLoader
{
    public static Trainer Load(ParseResult parse, string checkpointPath, DataOptions data)
    {
        var settings = Checkpoint.ReadHeader(checkpointPath).Run.Settings;
        var prepared = DatasetLoader.Prepare(parse, data, settings.Seed);
        var trainer = new Trainer(settings, prepared);
        try
        {
            Checkpoint.Load(checkpointPath, trainer.Store);
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }
}
