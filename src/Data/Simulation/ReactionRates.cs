namespace InverseLearning.Data.Simulation;

/// <summary>
/// The chance of a like and of a hate for an impression, given its true label and its watch
/// band, chosen so that likes fall on LikeRate of impressions (LikePrecision of them truly
/// liked, ReactionBandShare of them finished, the rest in the middle band) and hates on
/// HateRate (HatePrecision truly disliked, ReactionBandShare skipped). A like therefore comes
/// with a high finish rate, as in the paper's Figure 8. Where a band is too small to hold its
/// share the chance is capped at 1 and the realized rate is lower (the summary reports it).
/// </summary>
internal sealed class ReactionRates
{
    private readonly double[,] _like = new double[2, 3];
    private readonly double[,] _hate = new double[2, 3];

    private readonly SimulatorOptions _options;

    public ReactionRates(SimulatorOptions o)
    {
        _options = o;
        foreach (var liked in new[] { false, true })
        {
            var label = liked ? 1 : 0;
            var likeMass = o.LikeRate * (liked ? o.LikePrecision : 1 - o.LikePrecision);
            var hateMass = o.HateRate * (liked ? 1 - o.HatePrecision : o.HatePrecision);
            foreach (var band in new[] { WatchBand.Skipped, WatchBand.Middle, WatchBand.Finished })
            {
                var mass = BandShare(o, liked, band);
                _like[label, (int)band] = Chance(likeMass * ReactionShare(o, band, WatchBand.Finished), mass);
                _hate[label, (int)band] = Math.Min(1 - _like[label, (int)band], Chance(hateMass * ReactionShare(o, band, WatchBand.Skipped), mass));
            }
        }
    }

    /// <summary>The share of impressions that get a like, in expectation: LikeRate, or less where a band caps its chance at 1.</summary>
    public double ExpectedLikeRate => Expected(_like);

    /// <summary>The share of impressions that get a hate, in expectation (HateRate, or less where capped).</summary>
    public double ExpectedHateRate => Expected(_hate);

    private double Expected(double[,] chance)
    {
        var total = 0.0;
        foreach (var liked in new[] { false, true })
            foreach (var band in new[] { WatchBand.Skipped, WatchBand.Middle, WatchBand.Finished })
                total += chance[liked ? 1 : 0, (int)band] * BandShare(_options, liked, band);
        return total;
    }

    public double Like(bool liked, WatchBand band) => _like[liked ? 1 : 0, (int)band];

    public double Hate(bool liked, WatchBand band) => _hate[liked ? 1 : 0, (int)band];

    /// <summary>P(true label, band) over impressions: the middle band takes LabelSparsity of either label, noise flips the labeled rest.</summary>
    internal static double BandShare(SimulatorOptions o, bool liked, WatchBand band)
    {
        var labelShare = liked ? o.LikedShare : 1 - o.LikedShare;
        var noise = liked ? o.FalseNegativeRate : o.FalsePositiveRate;
        var agreeing = liked ? WatchBand.Finished : WatchBand.Skipped;
        var bandGivenLabel = band == WatchBand.Middle ? o.LabelSparsity
            : (1 - o.LabelSparsity) * (band == agreeing ? 1 - noise : noise);
        return labelShare * bandGivenLabel;
    }

    /// <summary>The share of a reaction's impressions in <paramref name="band"/>: the primary band gets ReactionBandShare, the middle the rest (all when there is no middle band).</summary>
    private static double ReactionShare(SimulatorOptions o, WatchBand band, WatchBand primary)
    {
        var primaryShare = o.LabelSparsity > 0 ? o.ReactionBandShare : 1;
        return band == primary ? primaryShare : band == WatchBand.Middle ? 1 - primaryShare : 0;
    }

    private static double Chance(double reactionMass, double bandMass) =>
        reactionMass <= 0 || bandMass <= 0 ? 0 : Math.Min(1, reactionMass / bandMass);
}
