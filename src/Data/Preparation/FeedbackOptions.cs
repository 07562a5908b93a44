namespace InverseLearning.Data;

/// <summary>
/// The feedback rules a dataset is prepared with: <paramref name="Extra"/> picks the extra
/// feedback D* (default: the like column); <paramref name="TestPositives"/>, when given,
/// picks the true positives among the test rows for the full-ranking protocol, and
/// <paramref name="ValidPositives"/> those among the validation rows for model selection by a ranking metric.
/// <paramref name="NamedColumns"/> holds the columns column:NAME rules read, by name
/// (see <see cref="FlagColumnReader"/>).
/// </summary>
public sealed record FeedbackOptions(
    FeedbackRule Extra,
    FeedbackRule? TestPositives = null,
    IReadOnlyDictionary<string, NullableColumn<bool>>? NamedColumns = null,
    FeedbackRule? ValidPositives = null)
{
    public static readonly FeedbackOptions Default = new(FeedbackRule.Like);

    public bool[]? Mark(InteractionLog log, FeedbackRule rule) =>
        rule.Mark(log, rule.ColumnName is { } name ? NamedColumns?.GetValueOrDefault(name) : null);
}
