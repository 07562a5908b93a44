using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>The summary's paragraph says what the log holds, in words that fit its figures.</summary>
public class SimulationSummaryTextTests
{
    private static SimulationSummary Summary(double likeRate, double likesFinished) => new(
        Rows: 1000, Users: 10, Items: 50, TrueLikedShare: 0.5, PositiveShare: 0.4, NegativeShare: 0.4, UnlabeledShare: 0.2,
        LabeledPositiveShare: 0.5, FalseNegativeRate: 0.1, FalsePositiveRate: 0.1, LikeRate: likeRate, HateRate: 0.002,
        LikesFinishedShare: likesFinished, TopUserShare: 0.2, TopItemShare: 0.3, Feedback: FeedbackKind.Watch);

    [Fact]
    public void Likes_are_told_with_the_share_of_them_on_finished_watches()
    {
        Assert.Contains(" Likes on 3.50% of impressions (90.0% of them finished), hates on 0.200%.", Summary(0.035, 0.9).ToString(), StringComparison.Ordinal);
    }

    /// <summary>"Likes on 0.00% of impressions (0.0% of them finished)" before: a share of none.</summary>
    [Fact]
    public void A_log_without_likes_says_so_without_a_share_of_them()
    {
        var text = Summary(0, 0).ToString();

        Assert.Contains(" No likes, hates on 0.200%.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("of them finished", text, StringComparison.Ordinal);
    }
}
