using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

public class RatingFeedbackTests
{
    private static readonly SimulatorOptions Options = new(Users: 1_000, Items: 2_000, Impressions: 100_000,
        Feedback: FeedbackKind.Rating, FalseNegativeRate: 0.1, FalsePositiveRate: 0.05);

    private static readonly Lazy<SimulationResult> Result = new(() => FeedSimulator.Run(Options, seed: 4));

    [Fact]
    public void Ratings_are_whole_stars_from_one_to_five_without_watch_columns()
    {
        var log = Result.Value.Log;
        Assert.NotNull(log.Rating);
        Assert.All(log.Rating!.HasValue, Assert.True);
        Assert.All(log.Rating.Values, r => Assert.Contains(r, new[] { 1f, 2f, 3f, 4f, 5f }));
        Assert.Null(log.PlayTimeMs);
        Assert.Null(log.DurationMs);
        Assert.NotNull(log.TimestampMs);
        // Every star value is used, fours most among liked (MovieLens-like).
        var counts = log.Rating.Values.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, counts.Count);
        Assert.True(counts[4f] > counts[3f] && counts[4f] > counts[5f]);
    }

    [Fact]
    public void Rating_at_least_three_means_liked_up_to_the_configured_noise()
    {
        var r = Result.Value;
        long liked = 0, disliked = 0, likedLow = 0, dislikedHigh = 0;
        for (var row = 0; row < r.Log.Count; row++)
        {
            var high = r.Log.Rating!.Values[row] >= 3;
            if (r.Truth.ImpressionLabels[row]) { liked++; if (!high) likedLow++; }
            else { disliked++; if (high) dislikedHigh++; }
        }
        Assert.InRange((double)liked / r.Log.Count, Options.LikedShare - 0.01, Options.LikedShare + 0.01);
        Assert.InRange((double)likedLow / liked, 0.09, 0.11);
        Assert.InRange((double)dislikedHigh / disliked, 0.04, 0.06);
    }

    [Fact]
    public void Higher_true_logits_get_more_stars()
    {
        var r = Result.Value;
        var meanLogitByStars = Enumerable.Range(0, r.Log.Count)
            .GroupBy(row => r.Log.Rating!.Values[row])
            .ToDictionary(g => g.Key, g => g.Average(row => r.Truth.TrueLogit(r.Log.UserId[row], r.Log.ItemId[row])));
        Assert.True(meanLogitByStars[5f] > meanLogitByStars[4f]);
        Assert.True(meanLogitByStars[4f] > meanLogitByStars[3f]);
        Assert.True(meanLogitByStars[3f] > meanLogitByStars[2f]);
    }
}
