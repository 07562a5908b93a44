using System.CommandLine;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Cli;

/// <summary>Turns a command's data options into a prepared dataset (labels, vocabulary, split) and, for simulated logs, the ground truth.</summary>
public static class DatasetLoader
{
    public static PreparedDataset Prepare(ParseResult parse, DataOptions options, int seed)
    {
        var log = options.ReadLog(parse);
        var labels = options.ToLabelingOptions(parse, log);
        var feedback = options.ToFeedbackOptions(parse, log);
        Console.Error.WriteLine($"labels: {DataOptions.RuleName(labels.Rule)}; extra feedback: {feedback.Extra}; split seed {seed}");
        return PreparedDataset.Prepare(log, labels, new SplitOptions(Seed: seed), feedback);
    }

    /// <summary>The simulator's ground truth written beside the log, if any: it enables the clean-test metrics and the annotation analyses.</summary>
    public static GroundTruth? TruthBeside(string dataPath)
    {
        // A dataset directory given as "DIR/interactions/" has its truth in DIR, as "DIR/interactions" does.
        var directory = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataPath)))!;
        return GroundTruth.Exists(directory) ? GroundTruth.Load(directory) : null;
    }
}
