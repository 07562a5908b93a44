using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Benchmarks;

/// <summary>The simulator's micro-video preset (the paper's scale), written once into the work folder and reused by every benchmark at that scale.</summary>
internal static class MicroVideoLog
{
    /// <summary>The folder of the log and its ground truth, simulated (seed 1) when it is not there yet.</summary>
    public static string Directory(string workDir)
    {
        var directory = Path.Combine(workDir, "micro-video");
        if (!File.Exists(Path.Combine(directory, "interactions.parquet")))
            SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("micro-video"), seed: 1), directory);
        return directory;
    }

    /// <summary>The log prepared as training prepares it: finish-rate labels, the default split.</summary>
    public static PreparedDataset Prepared(string directory) =>
        PreparedDataset.Prepare(InteractionLogParquet.Read(Path.Combine(directory, "interactions.parquet")), new LabelingOptions(LabelRule.FinishRate), new SplitOptions());
}
