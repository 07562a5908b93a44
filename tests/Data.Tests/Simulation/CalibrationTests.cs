using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>
/// The presets have the paper's Micro Video shape (Tables 3–5): 52/48 labeled rows, likes on
/// 4.78% and hates on 0.08% of impressions, likes on finished watches, skewed activity and
/// exposure. Checked on the `default` preset (the same settings at a smaller scale).
/// </summary>
public class CalibrationTests
{
    private static readonly Lazy<SimulationSummary> Default = new(() => SimulationSummary.Of(FeedSimulator.Run(SimulatorPresets.Get("default"), seed: 1)));

    private static void WithinTenPercent(double target, double measured, string what) =>
        Assert.True(Math.Abs(measured - target) <= 0.1 * target, $"{what}: measured {measured:G4}, target {target:G4} ± 10%");

    [Fact]
    public void Labeled_rows_are_52_percent_positive()
    {
        WithinTenPercent(0.52, Default.Value.LabeledPositiveShare, "positive share of labeled rows");
        Assert.InRange(Default.Value.LabeledPositiveShare, 0.50, 0.54);
    }

    [Fact]
    public void Likes_and_hates_have_the_papers_rates_and_a_like_comes_with_a_finished_watch()
    {
        WithinTenPercent(0.0478, Default.Value.LikeRate, "like rate");
        WithinTenPercent(0.0008, Default.Value.HateRate, "hate rate");
        Assert.True(Default.Value.LikesFinishedShare > 0.85, $"only {Default.Value.LikesFinishedShare:P1} of likes are on finished watches");
    }

    [Fact]
    public void Activity_and_popularity_are_skewed()
    {
        // Uniform activity or exposure would give the top 10% about 10%.
        Assert.True(Default.Value.TopUserShare > 0.25, $"top 10% of users: {Default.Value.TopUserShare:P1}");
        Assert.True(Default.Value.TopItemShare > 0.45, $"top 10% of videos: {Default.Value.TopItemShare:P1}");
    }

    [Fact]
    public void Noise_rates_are_shares_of_the_labeled_rows()
    {
        var o = SimulatorPresets.Get("default");
        Assert.InRange(Default.Value.FalseNegativeRate, o.FalseNegativeRate - 0.005, o.FalseNegativeRate + 0.005);
        Assert.InRange(Default.Value.FalsePositiveRate, o.FalsePositiveRate - 0.005, o.FalsePositiveRate + 0.005);
        Assert.InRange(Default.Value.UnlabeledShare, o.LabelSparsity - 0.005, o.LabelSparsity + 0.005);
    }

    [Fact]
    public void Micro_video_has_the_papers_sizes()
    {
        var o = SimulatorPresets.Get("micro-video");
        Assert.Equal((37_692, 131_690), (o.Users, o.Items));
        WithinTenPercent(9_458_042, o.Impressions, "impressions");
        WithinTenPercent(9_458_042, o.Impressions * (1 - o.LabelSparsity), "labeled impressions");
        Assert.Equal(SimulatorPresets.Get("default") with { Users = o.Users, Items = o.Items, Impressions = o.Impressions }, o);
    }

    [Fact]
    public void A_label_sparse_log_keeps_its_noise_relative_to_the_labeled_rows()
    {
        var o = SimulatorPresets.Get("tiny") with { Users = 1_000, Items = 3_000, Impressions = 100_000, LabelSparsity = 0.7 };
        var s = SimulationSummary.Of(FeedSimulator.Run(o, seed: 4));
        Assert.InRange(s.UnlabeledShare, 0.69, 0.71);
        Assert.InRange(s.FalseNegativeRate, o.FalseNegativeRate - 0.015, o.FalseNegativeRate + 0.015);
        Assert.InRange(s.LabeledPositiveShare, 0.49, 0.55);
        Assert.InRange(s.LikeRate, 0.9 * o.LikeRate, 1.1 * o.LikeRate);
    }

    [Fact]
    public void Label_sparsity_must_leave_some_rows_labeled()
    {
        var e = Assert.Throws<ArgumentException>(() => FeedSimulator.Run(SimulatorPresets.Get("tiny") with { LabelSparsity = 1 }, 1));
        Assert.Contains("--label-sparsity must be in [0, 1)", e.Message);
    }

    [Fact]
    public void Reaction_chances_stay_probabilities_when_the_bands_are_too_small()
    {
        var o = SimulatorPresets.Get("tiny") with { LabelSparsity = 0.98, LikeRate = 0.3 };
        var rates = new ReactionRates(o);
        foreach (var liked in new[] { false, true })
            foreach (var band in new[] { WatchBand.Skipped, WatchBand.Middle, WatchBand.Finished })
            {
                Assert.InRange(rates.Like(liked, band), 0, 1);
                Assert.InRange(rates.Like(liked, band) + rates.Hate(liked, band), 0, 1);
            }
        Assert.Equal(0, rates.Like(true, WatchBand.Skipped));
        Assert.Equal(0, rates.Hate(false, WatchBand.Finished));
    }
}
