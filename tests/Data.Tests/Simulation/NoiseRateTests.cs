using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>Realized label noise, like and hate rates follow the settings (counted straight from the columns).</summary>
public class NoiseRateTests
{
    private sealed record Counts(long Liked, long Disliked, long LikedSkipped, long LikedMiddle, long DislikedFinished, long DislikedMiddle,
        long Likes, long LikesOnLiked, long LikesFinished, long Hates, long HatesOnDisliked, long Rows);

    private static Counts Count(SimulationResult r)
    {
        var log = r.Log;
        long liked = 0, disliked = 0, likedSkipped = 0, likedMiddle = 0, dislikedFinished = 0, dislikedMiddle = 0;
        long likes = 0, likesOnLiked = 0, likesFinished = 0, hates = 0, hatesOnDisliked = 0;
        for (var row = 0; row < log.Count; row++)
        {
            var finish = (double)log.PlayTimeMs!.Values[row] / log.DurationMs!.Values[row];
            var skipped = finish < 0.2;
            var finished = finish > 0.8;
            var truth = r.Truth.ImpressionLabels[row];
            if (truth)
            {
                liked++;
                if (skipped) likedSkipped++;
                if (!skipped && !finished) likedMiddle++;
            }
            else
            {
                disliked++;
                if (finished) dislikedFinished++;
                if (!skipped && !finished) dislikedMiddle++;
            }
            if (log.Like!.Values[row]) { likes++; if (truth) likesOnLiked++; if (finished) likesFinished++; }
            if (log.Hate!.Values[row]) { hates++; if (!truth) hatesOnDisliked++; }
        }
        return new Counts(liked, disliked, likedSkipped, likedMiddle, dislikedFinished, dislikedMiddle, likes, likesOnLiked, likesFinished, hates, hatesOnDisliked, log.Count);
    }

    [Fact]
    public void Default_noise_settings_are_realized_on_a_large_sample_relative_to_the_labeled_rows()
    {
        var o = SimulatedLogs.Large;
        var c = Count(SimulatedLogs.LargeWatch);

        Assert.Equal(o.Impressions, c.Rows);
        Assert.InRange((double)c.Liked / c.Rows, o.LikedShare - 0.01, o.LikedShare + 0.01);
        Assert.InRange((double)c.LikedSkipped / (c.Liked - c.LikedMiddle), o.FalseNegativeRate - 0.005, o.FalseNegativeRate + 0.005);
        Assert.InRange((double)c.DislikedFinished / (c.Disliked - c.DislikedMiddle), o.FalsePositiveRate - 0.005, o.FalsePositiveRate + 0.005);
        Assert.InRange((double)c.LikedMiddle / c.Liked, o.LabelSparsity - 0.005, o.LabelSparsity + 0.005);
        Assert.InRange((double)c.DislikedMiddle / c.Disliked, o.LabelSparsity - 0.005, o.LabelSparsity + 0.005);
        Assert.InRange((double)c.Likes / c.Rows, o.LikeRate - 0.002, o.LikeRate + 0.002);
        Assert.InRange((double)c.Hates / c.Rows, o.HateRate - 0.0003, o.HateRate + 0.0003);
        // Likes and hates carry the true preference, and a like comes with a finished watch.
        Assert.InRange((double)c.LikesOnLiked / c.Likes, o.LikePrecision - 0.02, o.LikePrecision + 0.02);
        Assert.InRange((double)c.HatesOnDisliked / c.Hates, o.HatePrecision - 0.08, o.HatePrecision + 0.08);
        Assert.InRange((double)c.LikesFinished / c.Likes, o.ReactionBandShare - 0.02, o.ReactionBandShare + 0.02);
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0)]
    [InlineData(0.3, 0.05, 0.1)]
    [InlineData(0.05, 0.4, 0.25)]
    [InlineData(0.12, 0.12, 0.7)]
    public void Realized_noise_follows_other_settings(double falseNegative, double falsePositive, double sparsity)
    {
        var o = new SimulatorOptions(Users: 1_000, Items: 3_000, Impressions: 100_000,
            FalseNegativeRate: falseNegative, FalsePositiveRate: falsePositive, LabelSparsity: sparsity, LikedShare: 0.4);
        var c = Count(FeedSimulator.Run(o, seed: 11));

        Assert.InRange((double)c.Liked / c.Rows, 0.39, 0.41);
        // Noise is a share of the labeled rows of each true label, whatever the sparsity.
        Assert.InRange((double)c.LikedSkipped / (c.Liked - c.LikedMiddle), falseNegative - 0.015, falseNegative + 0.015);
        Assert.InRange((double)c.DislikedFinished / (c.Disliked - c.DislikedMiddle), falsePositive - 0.015, falsePositive + 0.015);
        Assert.InRange((double)c.LikedMiddle / c.Liked, sparsity - 0.01, sparsity + 0.01);
        Assert.InRange((double)c.DislikedMiddle / c.Disliked, sparsity - 0.01, sparsity + 0.01);
    }

    [Fact]
    public void Summary_reports_the_rates_counted_from_the_columns()
    {
        var r = SimulatedLogs.LargeWatch;
        var c = Count(r);
        var s = SimulationSummary.Of(r);

        Assert.Equal(c.Rows, s.Rows);
        Assert.Equal((double)c.Liked / c.Rows, s.TrueLikedShare, 12);
        Assert.Equal((double)c.LikedSkipped / (c.Liked - c.LikedMiddle), s.FalseNegativeRate, 12);
        Assert.Equal((double)c.DislikedFinished / (c.Disliked - c.DislikedMiddle), s.FalsePositiveRate, 12);
        Assert.Equal((double)c.LikesFinished / c.Likes, s.LikesFinishedShare, 12);
        Assert.Equal((double)c.Likes / c.Rows, s.LikeRate, 12);
        Assert.Equal((double)c.Hates / c.Rows, s.HateRate, 12);
        Assert.Equal(1.0, s.PositiveShare + s.NegativeShare + s.UnlabeledShare, 12);
        Assert.Equal(SimulatedLogs.Large.Users, s.Users);
        Assert.Contains("false negatives", s.ToString());
    }
}
