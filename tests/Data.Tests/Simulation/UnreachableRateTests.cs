using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>Like, hate and label-sparsity settings the simulation cannot meet are refused or warned about before it runs, never met silently with something else.</summary>
public class UnreachableRateTests
{
    private static readonly SimulatorOptions Tiny = SimulatorPresets.Get("tiny");

    [Fact]
    public void The_presets_reach_their_rates_without_a_warning()
    {
        foreach (var name in SimulatorPresets.Names)
            Assert.Empty(SimulatorPresets.Get(name).UnreachableRateWarnings());
    }

    [Fact]
    public void A_like_rate_past_what_its_bands_hold_is_warned_with_the_rate_the_log_reaches()
    {
        var o = Tiny with { LikeRate = 0.9 };
        var expected = new ReactionRates(o).ExpectedLikeRate;

        var warning = Assert.Single(o.UnreachableRateWarnings());
        var log = FeedSimulator.Run(o, seed: 3).Log;

        Assert.StartsWith("warning: --like-rate 0.9 cannot be reached", warning);
        Assert.EndsWith($"about {SimulationSummary.Percent(expected, 2)} of impressions will get a like", warning);
        Assert.InRange(log.Like!.Values.Count(like => like) / (double)log.Count, expected - 0.02, expected + 0.02);
    }

    [Fact]
    public void Like_and_hate_rates_adding_up_past_one_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => (Tiny with { LikeRate = 0.9, HateRate = 0.9 }).Validate());
        Assert.StartsWith("--like-rate (0.9) and --hate-rate (0.9) add up to more than 1", error.Message);
    }

    [Fact]
    public void A_sparsity_that_leaves_no_labeled_row_is_warned_and_the_summary_says_none_is_labeled()
    {
        var o = Tiny with { LabelSparsity = 0.99999 };

        // Likes and hates, which go mostly to the labeled bands, are short too: warned in lines of their own.
        var warning = Assert.Single(o.UnreachableRateWarnings(), line => line.StartsWith("warning: --label-sparsity", StringComparison.Ordinal));
        var summary = SimulationSummary.Of(FeedSimulator.Run(o, seed: 3)).ToString();

        Assert.StartsWith("warning: --label-sparsity 0.99999 leaves about 0.1 of the 10,000 impressions labeled", warning);
        Assert.Contains("100.0% unlabeled in between; no row is labeled.", summary);
    }
}
