namespace InverseLearning.Data;

/// <summary>
/// D*, the extra-feedback positives (DenoisingRec; TKDE Eq. 7): the labeled rows an extra
/// rule marks, in the split each row fell in (so the same seed splits them like the rest),
/// every label 1. Marked rows the label rule left unlabeled are in no split and only
/// counted (<see cref="OutsideSplits"/>). Also the test's and the validation's true positives
/// under the --test-positives and --valid-positives rules, when they were asked for.
/// </summary>
public sealed class ExtraFeedback
{
    internal ExtraFeedback(string rule, bool available, LabeledSet train, LabeledSet valid, LabeledSet test, int outsideSplits,
        MarkedPositives? testPositives, MarkedPositives? validPositives)
    {
        Rule = rule;
        Available = available;
        Train = train;
        Valid = valid;
        Test = test;
        OutsideSplits = outsideSplits;
        TestPositivesRule = testPositives?.Rule;
        TestPositives = testPositives?.Rows;
        ValidPositivesRule = validPositives?.Rule;
        ValidPositives = validPositives?.Rows;
    }

    /// <summary>The rows of one split a positives rule marks, and the rule as written.</summary>
    internal sealed record MarkedPositives(string Rule, LabeledSet Rows);

    /// <summary>No extra feedback: the log lacks the rule's column.</summary>
    public static ExtraFeedback Missing(string rule) => new(rule, false, new(), new(), new(), 0, null, null);

    /// <summary>The rule, as written on the command line (like, rating:4, column:purchase).</summary>
    public string Rule { get; }

    /// <summary>Whether the log has the rule's column at all.</summary>
    public bool Available { get; }

    public LabeledSet Train { get; }
    public LabeledSet Valid { get; }
    public LabeledSet Test { get; }

    /// <summary>Marked rows that are in no split, because the label rule left them unlabeled.</summary>
    public int OutsideSplits { get; }

    public string? TestPositivesRule { get; }

    /// <summary>The test rows the --test-positives rule marks (label 1); null when no rule was given.</summary>
    public LabeledSet? TestPositives { get; }

    public string? ValidPositivesRule { get; }

    /// <summary>The validation rows the --valid-positives rule marks (label 1); null when no rule was given.</summary>
    public LabeledSet? ValidPositives { get; }

    /// <summary>
    /// Throws a <see cref="DataException"/> naming <paramref name="purpose"/> (a flag) when there
    /// is no extra feedback among the training rows; a strategy calls this before using D*.
    /// </summary>
    public void RequireTrain(string purpose)
    {
        if (!Available)
            throw new DataException($"{purpose} needs extra feedback, but the log has no '{Rule}' column (--extra-feedback {Rule}); pick another with --extra-feedback like|rating:N|column:NAME");
        if (Train.Count == 0)
            throw new DataException($"{purpose} needs extra feedback, but no training row is marked by --extra-feedback {Rule}");
    }

    /// <summary>Per user (dense index): how many rows of <paramref name="set"/> it has, positives only if asked.</summary>
    public static int[] CountPerUser(LabeledSet set, int userCount, bool positivesOnly = false)
    {
        var counts = new int[userCount];
        for (var r = 0; r < set.Count; r++)
            if (!positivesOnly || set.Labels[r] > 0.5f) counts[set.Users[r]]++;
        return counts;
    }

    /// <summary>
    /// Per user: extra-feedback training rows ÷ implicit positives among the training rows
    /// (colliding inference's sparsity); NaN for a user with no implicit positive.
    /// </summary>
    public double[] TrainRatioPerUser(PreparedDataset data)
    {
        var extra = CountPerUser(Train, data.Users.Count);
        var implicitPositives = data.TrainPositivesPerUser();
        var ratio = new double[extra.Length];
        for (var u = 0; u < ratio.Length; u++)
            ratio[u] = implicitPositives[u] == 0 ? double.NaN : (double)extra[u] / implicitPositives[u];
        return ratio;
    }

    internal static ExtraFeedback Build(CompactLog log, RowAssignment[] assignment)
    {
        var (users, items) = (log.UserIndices, log.ItemIndices);
        var testPositives = Positives(log.TestPositivesRule, log.TestPositiveMarks, RowAssignment.Test, assignment, users, items);
        var validPositives = Positives(log.ValidPositivesRule, log.ValidPositiveMarks, RowAssignment.Valid, assignment, users, items);
        if (log.ExtraMarks is not { } marks)
            return new ExtraFeedback(log.ExtraRule.ToString(), false, new(), new(), new(), 0, testPositives, validPositives);
        var outside = 0;
        for (var row = 0; row < marks.Length; row++)
            if (marks[row] && assignment[row] == RowAssignment.Unlabeled) outside++;
        return new ExtraFeedback(log.ExtraRule.ToString(), true,
            Gather(assignment, marks, users, items, a => a is RowAssignment.TrainTrain or RowAssignment.TrainTest),
            Gather(assignment, marks, users, items, a => a == RowAssignment.Valid),
            Gather(assignment, marks, users, items, a => a == RowAssignment.Test),
            outside, testPositives, validPositives);
    }

    private static MarkedPositives? Positives(FeedbackRule? rule, bool[]? marks, RowAssignment split, RowAssignment[] assignment, int[] users, int[] items) =>
        rule is null || marks is null ? null : new MarkedPositives(rule.ToString(), Gather(assignment, marks, users, items, a => a == split));

    private static LabeledSet Gather(RowAssignment[] assignment, bool[] marks, int[] users, int[] items, Func<RowAssignment, bool> include)
    {
        var count = 0;
        for (var row = 0; row < marks.Length; row++) if (marks[row] && include(assignment[row])) count++;
        var set = new LabeledSet(new int[count], new int[count], new PackedLabels(count));
        var k = 0;
        for (var row = 0; row < marks.Length; row++)
        {
            if (!marks[row] || !include(assignment[row])) continue;
            set.Users[k] = users[row];
            set.Items[k] = items[row];
            set.Labels[k++] = 1f;
        }
        return set;
    }
}
