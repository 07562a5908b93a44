namespace InverseLearning.Data;

/// <summary>Labels every row of a log: 1 positive, 0 negative, -1 unlabeled (also when the rule's columns are absent or null).</summary>
public static class Labeler
{
    public const sbyte Positive = 1;
    public const sbyte Negative = 0;
    public const sbyte Unlabeled = -1;

    /// <summary>The columns <paramref name="rule"/> labels from: a log without them, or with them all null, has no labels by it.</summary>
    public static string[] ColumnsOf(LabelRule rule) => rule switch
    {
        LabelRule.FinishRate => [InteractionLogSchema.PlayTime, InteractionLogSchema.Duration],
        LabelRule.PlayTime => [InteractionLogSchema.PlayTime],
        LabelRule.Rating => [InteractionLogSchema.Rating],
        _ => [],
    };

    public static sbyte[] Label(InteractionLog log, LabelingOptions o)
    {
        o.Validate();
        var labels = new sbyte[log.Count];
        Array.Fill(labels, Unlabeled);
        switch (o.Rule)
        {
            case LabelRule.FinishRate: ByFinishRate(log, o, labels); break;
            case LabelRule.PlayTime: ByPlayTime(log.PlayTimeMs, labels); break;
            case LabelRule.Rating: ByRating(log, o, labels); break;
            case LabelRule.Implicit: Array.Fill(labels, Positive); break;
            default: throw new ArgumentOutOfRangeException(nameof(o), o.Rule, "unknown label rule");
        }
        return labels;
    }

    private static void ByFinishRate(InteractionLog log, LabelingOptions o, sbyte[] labels)
    {
        if (log.PlayTimeMs is not { } play || log.DurationMs is not { } duration) return;
        for (var row = 0; row < labels.Length; row++)
        {
            if (!play.HasValue[row] || !duration.HasValue[row] || duration.Values[row] <= 0) continue;
            var rate = (double)play.Values[row] / duration.Values[row];
            if (rate > o.FinishPositiveAbove) labels[row] = Positive;
            else if (rate < o.FinishNegativeBelow) labels[row] = Negative;
        }
    }

    /// <summary>The play-time rule alone, for a reader that keeps only the play column: its quartiles need every row first.</summary>
    internal static void ByPlayTime(NullableColumn<long>? play, sbyte[] labels)
    {
        if (play is null) return;
        var (lower, upper) = Quartiles.Of(play);
        for (var row = 0; row < labels.Length; row++)
        {
            if (!play.HasValue[row]) continue;
            var value = play.Values[row];
            if (value > upper) labels[row] = Positive;
            else if (value < lower) labels[row] = Negative;
        }
    }

    private static void ByRating(InteractionLog log, LabelingOptions o, sbyte[] labels)
    {
        if (log.Rating is not { } rating) return;
        for (var row = 0; row < labels.Length; row++)
        {
            if (!rating.HasValue[row]) continue;
            var value = rating.Values[row];
            if (value >= o.RatingPositiveAtLeast) labels[row] = Positive;
            else if (value <= o.RatingNegativeAtMost) labels[row] = Negative;
        }
    }
}
