using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>
/// The simulator's like and hate chances, weighted by each (true label, watch band)'s share of
/// impressions, give back the configured rates, precisions and band shares exactly: the
/// calibration in closed form, without sampling noise; where a band is too small for its share,
/// the chances stay probabilities.
/// </summary>
public class ReactionRatesTests
{
    private static readonly WatchBand[] Bands = [WatchBand.Skipped, WatchBand.Middle, WatchBand.Finished];

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.3)]
    [InlineData(0.0)]    // no middle band: every like is on a finished watch, every hate on a skipped one
    public void Expected_reactions_are_the_configured_rates_precisions_and_bands(double sparsity)
    {
        var o = new SimulatorOptions(Users: 10, Items: 10, Impressions: 10, LabelSparsity: sparsity);
        var rates = new ReactionRates(o);
        double likes = 0, likesOnLiked = 0, likesFinished = 0, hates = 0, hatesOnDisliked = 0, hatesSkipped = 0;
        foreach (var liked in new[] { false, true })
            foreach (var band in Bands)
            {
                var share = ReactionRates.BandShare(o, liked, band);
                var (like, hate) = (share * rates.Like(liked, band), share * rates.Hate(liked, band));
                likes += like;
                hates += hate;
                if (liked) likesOnLiked += like; else hatesOnDisliked += hate;
                if (band == WatchBand.Finished) likesFinished += like;
                if (band == WatchBand.Skipped) hatesSkipped += hate;
            }

        Assert.Equal(o.LikeRate, likes, 12);
        Assert.Equal(o.HateRate, hates, 12);
        Assert.Equal(o.LikePrecision, likesOnLiked / likes, 12);
        Assert.Equal(o.HatePrecision, hatesOnDisliked / hates, 12);
        var primaryShare = sparsity > 0 ? o.ReactionBandShare : 1;
        Assert.Equal(primaryShare, likesFinished / likes, 12);
        Assert.Equal(primaryShare, hatesSkipped / hates, 12);
    }

    [Fact]
    public void Where_a_band_cannot_hold_both_reactions_a_hate_gets_the_chance_a_like_leaves()
    {
        // Liked middle band: 0.525 × 0.01 of impressions. Likes want 0.007 × 0.9 × 0.5 of them (a chance of 0.6),
        // hates 0.1 × 0.1 × 0.5 (a chance of 0.95): together more than certain, so the hate chance is 1 − 0.6.
        var o = new SimulatorOptions(Users: 10, Items: 10, Impressions: 10, LabelSparsity: 0.01, LikeRate: 0.007, HateRate: 0.1, ReactionBandShare: 0.5);
        var rates = new ReactionRates(o);

        Assert.Equal(0.6, rates.Like(true, WatchBand.Middle), 9);
        Assert.Equal(0.4, rates.Hate(true, WatchBand.Middle), 9);
        foreach (var liked in new[] { false, true })
            foreach (var band in Bands)
                Assert.InRange(rates.Like(liked, band) + rates.Hate(liked, band), 0, 1 + 1e-12);
    }
}
