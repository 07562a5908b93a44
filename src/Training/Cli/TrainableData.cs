using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// Refuses, before any training or evaluation, a prepared log whose splits cannot give a
/// run: no labeled rows, an empty training split, or a validation or test split where no
/// user holds both a positive and a negative row (AUC, GAUC, NDCG and MRR would be undefined)
/// — unless the labels are implicit feedback (--labels implicit), whose valid and test rows are all positive.
/// Another rule whose thresholds leave no negative row is refused, not taken for implicit feedback.
/// </summary>
public static class TrainableData
{
    public static void Require(PreparedDataset data, string path, LabelRule labelRule, bool needsTrainingTest)
    {
        var rule = DataOptions.RuleName(labelRule);
        var labeled = data.TrainRows.Count + data.Valid.Count + data.Test.Count;
        if (labeled == 0)
        {
            var columns = Labeler.ColumnsOf(labelRule);
            throw new DataException($"{path}: no labeled rows: the {rule} rule labeled none of the log's {data.UnlabeledRowCount:N0} rows" +
                (columns.Length > 0 ? $" (it labels from {string.Join(" and ", columns)}: does the log have them?)" : "") + "; choose another --labels or other thresholds");
        }
        var valid = UsersWithBothLabels(data.Valid);
        var test = UsersWithBothLabels(data.Test);
        // Implicit feedback (every row positive): validation adds sampled negatives and the test is ranked in full, so positives suffice.
        var implicitFeedback = labelRule == LabelRule.Implicit;
        var evaluable = implicitFeedback ? data.Valid.Count > 0 && data.Test.Count > 0 : valid > 0 && test > 0;
        var enough = data.TrainRows.Count > 0 && evaluable && (!needsTrainingTest || (data.TrainTrainCount > 0 && data.TrainTestCount > 0));
        if (!enough)
            throw new DataException($"{path}: too few labeled rows for a run: train {data.TrainRows.Count:N0} " +
                $"(training-train {data.TrainTrainCount:N0}, training-test {data.TrainTestCount:N0}), valid {Describe(data.Valid, valid)}, test {Describe(data.Test, test)} " +
                $"of {labeled:N0} labeled by {rule}; train needs a row{(needsTrainingTest ? " in each part" : "")}, valid and test a user with both a positive and a negative row" +
                (implicitFeedback ? "" : NoNegativeHeldOut(data)));
    }

    /// <summary>
    /// Why valid and test hold no negative row, when they hold none: the rule labels none negative (other thresholds), or the
    /// split left the log's negatives all in train (a log this small): the advice differs.
    /// </summary>
    private static string NoNegativeHeldOut(PreparedDataset data)
    {
        if (data.Valid.PositiveCount != data.Valid.Count || data.Test.PositiveCount != data.Test.Count) return "";
        var trainNegatives = data.TrainRows.Count - data.TrainRows.PositiveCount;
        return trainNegatives == 0
            ? " (every labeled row is positive: other thresholds, or --labels implicit for a log of positives only)"
            : $" (valid and test hold no negative row, though train holds {trainNegatives:N0}: a larger log, or another split, gives them some)";
    }

    /// <summary>Users whose rows in <paramref name="set"/> hold both labels: the users GAUC, NDCG and MRR average over.</summary>
    public static int UsersWithBothLabels(LabeledSet set)
    {
        var seen = new Dictionary<int, int>();   // user → bit 1: a negative, bit 2: a positive
        foreach (var (user, start, count) in set.UserRuns())
            for (var r = start; r < start + count; r++)
                seen[user] = seen.GetValueOrDefault(user) | (set.Labels[r] > 0.5f ? 2 : 1);
        return seen.Values.Count(v => v == 3);
    }

    private static string Describe(LabeledSet set, int users) =>
        $"{set.Count:N0} ({set.PositiveCount:N0} positive, {users:N0} users with both labels)";
}
