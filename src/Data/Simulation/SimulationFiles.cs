namespace InverseLearning.Data.Simulation;

/// <summary>Where a simulation goes on disk: DIR/interactions.parquet beside the ground truth (truth.parquet, truth-model.bin).</summary>
public static class SimulationFiles
{
    public const string InteractionsFileName = "interactions.parquet";

    /// <summary>Writes the log and the ground truth, each file atomically; the truth goes first so a log on disk always has its truth.</summary>
    public static void Write(SimulationResult r, string dir)
    {
        ArgumentNullException.ThrowIfNull(r);
        Directory.CreateDirectory(dir);
        r.Truth.Save(dir);
        InteractionLogParquet.Write(r.Log, Path.Combine(dir, InteractionsFileName));
    }
}
