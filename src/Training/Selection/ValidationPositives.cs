using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Selection;

/// <summary>
/// The validation rows a ranking selection metric counts as hits (--valid-positives):
/// labels (the validation rows labeled positive: all that a real log knows), truth (the
/// simulator's true positives), or like / rating:N (marked when the log was prepared).
/// </summary>
public static class ValidationPositives
{
    public const string Labels = "labels", Truth = "truth";
    public const string Expected = "labels, truth, like or rating:N";

    /// <summary>The rule of a --valid-positives value that the data preparation marks (like, rating:N); null for labels and truth.</summary>
    public static FeedbackRule? MarkedRule(string rule)
    {
        if (rule is Labels or Truth) return null;
        var parsed = rule.StartsWith("like", StringComparison.Ordinal) || rule.StartsWith("rating:", StringComparison.Ordinal)
            ? FeedbackRule.Parse(rule, "--valid-positives") : null;
        return parsed is { Source: not FeedbackSource.Column } ? parsed
            : throw new ArgumentException($"--valid-positives: '{rule}' is not supported; expected {Expected}{Serving.Spelling.DidYouMean(rule, [Labels, Truth, "like"])}");
    }

    private const string TruthMissing =
        "--valid-positives truth needs the simulator's ground truth beside the log (truth.parquet, truth-model.bin); on other logs use labels, like or rating:N";

    /// <summary>Refuses, before the log is read, a ranking selection on a ground truth the log does not have beside it.</summary>
    public static void RequireTruth(TrainSettings settings, bool truthBeside)
    {
        if (SelectionMetric.Parse(settings.SelectBy).IsRanking && settings.ValidPositives == Truth && !truthBeside) throw new DataException(TruthMissing);
    }

    public static LabeledSet Resolve(PreparedDataset data, string rule, GroundTruth? truth)
    {
        if (rule == Labels) return TestPositives.Where(data.Valid, data.Valid.Labels);
        if (rule == Truth)
        {
            if (truth is null) throw new DataException(TruthMissing);
            return TestPositives.Where(data.Valid, TrueLabels.Of(data, data.Valid, truth));
        }
        if (data.Extra.ValidPositivesRule != MarkedRule(rule)!.ToString() || data.Extra.ValidPositives is not { } marked)
            throw new InvalidOperationException($"--valid-positives {rule}: the dataset was prepared without this rule (prepare it with FeedbackOptions.ValidPositives)");
        return marked;
    }
}
