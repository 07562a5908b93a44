using InverseLearning.Data;

namespace InverseLearning.Training.Tests.Evaluation;

/// <summary>Rating logs with an explicit split column, for the full-ranking tests.</summary>
internal static class RankingLogs
{
    /// <summary>One row per (user, item, rating, split).</summary>
    public static InteractionLog Of(params (long User, long Item, float Rating, SplitTag Split)[] rows)
    {
        var log = new InteractionLog(rows.Length)
        {
            Rating = new NullableColumn<float>(rows.Select(r => r.Rating).ToArray(), Enumerable.Repeat(true, rows.Length).ToArray()),
            Split = rows.Select(r => r.Split).ToArray(),
        };
        for (var r = 0; r < rows.Length; r++) (log.UserId[r], log.ItemId[r]) = (rows[r].User, rows[r].Item);
        return log;
    }

    /// <summary>Random rows: ratings 1..5, splits 60/20/20.</summary>
    public static InteractionLog Random(int rows, int users, int items, int seed)
    {
        var rng = new Random(seed);
        return Of(Enumerable.Range(0, rows).Select(_ => (
            (long)rng.Next(users), (long)rng.Next(items), (float)rng.Next(1, 6),
            rng.NextDouble() switch { < 0.6 => SplitTag.Train, < 0.8 => SplitTag.Valid, _ => SplitTag.Test })).ToArray());
    }

    /// <summary>Prepared with rating labels, the test positives being rating ≥ <paramref name="positiveAtLeast"/>.</summary>
    public static PreparedDataset Prepare(InteractionLog log, float positiveAtLeast = 4) =>
        PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Rating), new SplitOptions(),
            new FeedbackOptions(FeedbackRule.Like, new FeedbackRule(FeedbackSource.Rating, positiveAtLeast)));
}
