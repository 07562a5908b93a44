using System.CommandLine;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Cli;

/// <summary>Turns a command's data options into a prepared dataset (labels, vocabulary, split) and, for simulated logs, the ground truth.</summary>
public static class DatasetLoader
{
    /// <summary>Reads, labels and splits the log; refuses one whose splits cannot give a run (see <see cref="TrainableData"/>).</summary>
    /// <param name="needsTrainingTest">True for IG, which also needs rows in both parts of the training split.</param>
    public static PreparedDataset Prepare(ParseResult parse, DataOptions options, int seed, bool needsTrainingTest = false)
    {
        var log = options.ReadCompactLog(parse, out var labels);
        Console.Error.WriteLine($"labels: {DataOptions.RuleName(labels.Rule)}; extra feedback: {log.ExtraRule}; split seed {seed}");
        var prepared = PreparedDataset.Prepare(log, new SplitOptions(Seed: seed));
        TrainableData.Require(prepared, parse.GetValue(options.Data)!, DataOptions.RuleName(labels.Rule), needsTrainingTest);
        return prepared;
    }

    /// <summary>The memory estimate of <paramref name="settings"/> on <paramref name="data"/>'s vocabularies, before the model is built.</summary>
    public static void EnsureFits(TrainSettings settings, PreparedDataset data, MemoryBudget budget) =>
        RunMemoryEstimate.For(settings, data.Users.Count, data.Items.Count, Math.Max(data.Train.Count, Math.Max(data.Valid.Count, data.Test.Count)),
            new RunMemoryEstimate.PreparedLogSize(data.ResidentBytes, data.Train.Count)).EnsureFits(budget);

    /// <summary>The simulator's ground truth written beside the log, if any: it enables the clean-test metrics and the annotation analyses.</summary>
    public static GroundTruth? TruthBeside(string dataPath)
    {
        // A dataset directory given as "DIR/interactions/" has its truth in DIR, as "DIR/interactions" does.
        var directory = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataPath)))!;
        return GroundTruth.Exists(directory) ? GroundTruth.Load(directory) : null;
    }
}
