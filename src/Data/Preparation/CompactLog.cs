namespace InverseLearning.Data;

/// <summary>
/// A log reduced to what preparation reads, one narrow column per row: dense user and item
/// indices (int32, the vocabularies beside them), the label rule's verdict, the split the
/// log assigns (when it has a split column) and the extra-feedback, test-positive and
/// validation-positive marks.
/// No raw id, timestamp or play column is kept: this is what a training run holds while it
/// prepares, about 10 bytes per row instead of the raw log's 50 or more.
/// </summary>
public sealed class CompactLog
{
    internal CompactLog(Vocabulary users, Vocabulary items, int[] userIndices, int[] itemIndices, sbyte[] labels, SplitTag[]? split,
        FeedbackOptions feedback, bool[]? extraMarks, bool[]? testPositiveMarks, bool[]? validPositiveMarks, BadRowReport skippedRows, string? source = null)
    {
        if (itemIndices.Length != userIndices.Length || labels.Length != userIndices.Length || (split is not null && split.Length != userIndices.Length)
            || new[] { extraMarks, testPositiveMarks, validPositiveMarks }.Any(marks => marks is not null && marks.Length != userIndices.Length))
            throw new ArgumentException("the columns of a compact log differ in length");
        if (feedback.TestPositives is { } rule && testPositiveMarks is null) throw MissingColumn(source, "--test-positives", rule);
        if (feedback.ValidPositives is { } validRule && validPositiveMarks is null) throw MissingColumn(source, "--valid-positives", validRule);
        Users = users;
        Items = items;
        UserIndices = userIndices;
        ItemIndices = itemIndices;
        Labels = labels;
        Split = split;
        ExtraRule = feedback.Extra;
        TestPositivesRule = feedback.TestPositives;
        ValidPositivesRule = feedback.ValidPositives;
        ExtraMarks = extraMarks;
        TestPositiveMarks = testPositiveMarks;
        ValidPositiveMarks = validPositiveMarks;
        SkippedRows = skippedRows;
        Count = userIndices.Length;
    }

    /// <summary>A rule's column the log lacks, named in the dataset <paramref name="source"/> (null: a log in memory, which has no name).</summary>
    internal static DataException MissingColumn(string? source, string flag, FeedbackRule rule)
    {
        var problem = $"{flag} {rule}: the log has no '{rule.Column}' column";
        return source is null ? new DataException(problem) : DataException.In(source, problem);
    }

    /// <summary>Labels and encodes a log held whole (tests, inspect); the same columns a streamed read gives.</summary>
    public static CompactLog FromLog(InteractionLog log, LabelingOptions labels, FeedbackOptions feedback)
    {
        var rowLabels = Labeler.Label(log, labels);
        var users = Vocabulary.Build(log.UserId.AsSpan(0, log.Count), out var userIndices);
        var items = Vocabulary.Build(log.ItemId.AsSpan(0, log.Count), out var itemIndices);
        var testPositives = feedback.TestPositives is { } rule ? feedback.Mark(log, rule) : null;
        var validPositives = feedback.ValidPositives is { } validRule ? feedback.Mark(log, validRule) : null;
        return new CompactLog(users, items, userIndices, itemIndices, rowLabels, log.Split, feedback,
            feedback.Mark(log, feedback.Extra), testPositives, validPositives, log.SkippedRows);
    }

    /// <summary>Rows read (before preparation lets go of the columns).</summary>
    public int Count { get; }

    public Vocabulary Users { get; }
    public Vocabulary Items { get; }

    /// <summary>Per row: the user's dense index in <see cref="Users"/>.</summary>
    public int[] UserIndices { get; private set; }

    /// <summary>Per row: the item's dense index in <see cref="Items"/>.</summary>
    public int[] ItemIndices { get; private set; }

    /// <summary>Per row: <see cref="Labeler.Positive"/>, <see cref="Labeler.Negative"/> or <see cref="Labeler.Unlabeled"/>.</summary>
    public sbyte[] Labels { get; private set; }

    /// <summary>Per row: the split the log assigns; null when the log has no split column.</summary>
    public SplitTag[]? Split { get; private set; }

    public FeedbackRule ExtraRule { get; }
    public FeedbackRule? TestPositivesRule { get; }
    public FeedbackRule? ValidPositivesRule { get; }

    /// <summary>Per row: whether the extra-feedback rule marks it; null when the log lacks the rule's column.</summary>
    public bool[]? ExtraMarks { get; private set; }

    /// <summary>Per row: whether the --test-positives rule marks it; null when no rule was given.</summary>
    public bool[]? TestPositiveMarks { get; private set; }

    /// <summary>Per row: whether the --valid-positives rule marks it; null when no rule was given.</summary>
    public bool[]? ValidPositiveMarks { get; private set; }

    /// <summary>Rows the read left out under <see cref="BadRowPolicy.Skip"/>, by reason.</summary>
    public BadRowReport SkippedRows { get; }

    /// <summary>Sets the extra-feedback marks a column:NAME rule reads from a column outside the log schema, after the read.</summary>
    public void MarkExtra(bool[] marks)
    {
        if (marks.Length != Count) throw new ArgumentException($"expected one mark per row ({Count}), got {marks.Length}", nameof(marks));
        ExtraMarks = marks;
    }

    /// <summary>Which columns <see cref="Release"/> lets go of.</summary>
    internal enum Column { Users, Items, All }

    /// <summary>Lets go of a column (preparation, once it has moved it into the splits, so that the rows are held about once).</summary>
    internal void Release(Column column)
    {
        ItemIndices = column == Column.Users ? ItemIndices : [];
        UserIndices = column == Column.Items ? UserIndices : [];
        if (column != Column.All) return;
        Labels = [];
        Split = null;
        ExtraMarks = TestPositiveMarks = ValidPositiveMarks = null;
    }
}
