namespace InverseLearning.Data.Simulation;

/// <summary>
/// Every knob of the feed simulator. Rates are shares of impressions unless said otherwise;
/// the label-noise rates are shares of the LABELED impressions they corrupt (finish rate
/// outside the middle band), so a label-sparse log is not mostly wrong labels.
/// </summary>
/// <param name="Users">Number of users; each sees at least one video.</param>
/// <param name="Items">Catalogue size.</param>
/// <param name="Impressions">Number of impressions (rows), at most one per user–video pair.</param>
/// <param name="Feedback">Watch behaviour or 1–5 ratings.</param>
/// <param name="Factors">Dimension of the hidden user and item factors.</param>
/// <param name="PreferenceScale">Standard deviation of the factor term u·v of the true logit.</param>
/// <param name="UserBiasScale">Standard deviation of the per-user bias.</param>
/// <param name="ItemBiasScale">Standard deviation of the per-item bias.</param>
/// <param name="LikedShare">Share of impressions whose true label is "liked"; the global bias is calibrated to it.</param>
/// <param name="PopularityExponent">Zipf exponent of exposure: the item of popularity rank r is shown ∝ (r + 1)^-s.</param>
/// <param name="UserActivitySigma">Log-normal spread of how many impressions each user gets.</param>
/// <param name="FalseNegativeRate">Share of truly liked labeled impressions skipped quickly (finish rate &lt; 0.2), or rated ≤ 2.</param>
/// <param name="FalsePositiveRate">Share of truly disliked labeled impressions watched to the end (finish rate &gt; 0.8), or rated ≥ 3.</param>
/// <param name="LabelSparsity">Share of impressions (of either true label) that land in the unlabeled middle band 0.2 ≤ finish rate ≤ 0.8.</param>
/// <param name="LikeRate">Share of impressions with a like (fewer when the bands a like goes to are too small to hold them).</param>
/// <param name="LikePrecision">Share of likes that fall on truly liked impressions.</param>
/// <param name="HateRate">Share of impressions with a hate.</param>
/// <param name="HatePrecision">Share of hates that fall on truly disliked impressions.</param>
/// <param name="ReactionBandShare">Share of likes on finished impressions (finish rate &gt; 0.8) and of hates on skipped ones (&lt; 0.2); the rest fall in the middle band.</param>
/// <param name="MedianDurationSeconds">Median video duration (durations are log-normal).</param>
/// <param name="DurationSigma">Log-normal spread of durations.</param>
/// <param name="MinDurationSeconds">Shortest video.</param>
/// <param name="MaxDurationSeconds">Longest video.</param>
/// <param name="StartTimestampMs">When the log starts (ms since the Unix epoch); each user's sessions are spread over the following 30 days.</param>
/// <param name="MeanGapSeconds">Mean pause between the end of one impression and the next.</param>
/// <param name="RatingNoise">Standard deviation of the noise added to the true logit before it is cut into 1–5 stars (rating feedback).</param>
public sealed record SimulatorOptions(
    int Users,
    int Items,
    int Impressions,
    FeedbackKind Feedback = FeedbackKind.Watch,
    int Factors = 4,
    double PreferenceScale = 1.5,
    double UserBiasScale = 1.0,
    double ItemBiasScale = 1.5,
    double LikedShare = 0.525,
    double PopularityExponent = 0.9,
    double UserActivitySigma = 0.8,
    double FalseNegativeRate = 0.12,
    double FalsePositiveRate = 0.12,
    double LabelSparsity = 0.05,
    double LikeRate = 0.0478,
    double LikePrecision = 0.9,
    double HateRate = 0.0008,
    double HatePrecision = 0.9,
    double ReactionBandShare = 0.9,
    double MedianDurationSeconds = 30,
    double DurationSigma = 0.9,
    double MinDurationSeconds = 3,
    double MaxDurationSeconds = 600,
    long StartTimestampMs = 1_704_067_200_000,
    double MeanGapSeconds = 8,
    double RatingNoise = 0.5)
{
    public const int MaxUsers = 10_000_000, MaxItems = 50_000_000, MaxImpressions = 2_000_000_000, MaxFactors = 1_024;

    /// <summary>Most impressions simulated as one log in memory (≈ 64 bytes each, as SimulationMemoryEstimate counts them); more are simulated and written in pieces (datagen --partition-by day).</summary>
    public const int MaxWholeImpressions = 200_000_000;

    /// <summary>The largest standard deviation of a term of the true logit: beyond it nearly every sigmoid is 0 or 1 already, and far beyond it the logit overflows.</summary>
    public const double MaxLogitSpread = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    /// <param name="maxImpressions">The most impressions the caller can simulate: <see cref="MaxWholeImpressions"/> for a log in one piece.</param>
    public void Validate(int maxImpressions = MaxImpressions)
    {
        // Upper bounds keep every array the simulator allocates (per user, per video, per impression) far below .NET's and the machine's limits.
        Require(Users is >= 1 and <= MaxUsers, "--users", $"from 1 to {MaxUsers:N0}", Users);
        Require(Items is >= 1 and <= MaxItems, "--items", $"from 1 to {MaxItems:N0}", Items);
        // Said as what the users ask for: the impressions may be the preset's, never given.
        if (Impressions < Users)
            throw new ArgumentException($"{Users:N0} users (--users) need at least as many impressions (--impressions): every user has one or more, " +
                $"but the simulation has {Impressions:N0}; give --impressions {Users:N0} or more, or fewer --users.");
        Require(Impressions <= maxImpressions, "--impressions", $"at most {maxImpressions:N0}", Impressions);
        // A user sees a video at most once: more impressions than user–video pairs cannot be simulated.
        Require(Impressions <= (long)Users * Items, "--impressions", $"at most the {(long)Users * Items:N0} user–video pairs (--users × --items)", Impressions);
        Require(Factors is >= 1 and <= MaxFactors, "--factors", $"from 1 to {MaxFactors:N0}", Factors);
        // Each factor table is one float array: each bound above holds, but a product of two of them can pass .NET's longest array.
        RequireFactorTable(Users, "--users", "user");
        RequireFactorTable(Items, "--items", "video");
        // Range patterns also refuse NaN and ±∞ (every comparison with NaN is false); "≥ 0" checks say finite too.
        Require(PreferenceScale is >= 0 and <= MaxLogitSpread, "--preference-scale", $"from 0 to {MaxLogitSpread}", PreferenceScale);
        Require(UserBiasScale is >= 0 and <= MaxLogitSpread, "--user-bias-scale", $"from 0 to {MaxLogitSpread}", UserBiasScale);
        Require(ItemBiasScale is >= 0 and <= MaxLogitSpread, "--item-bias-scale", $"from 0 to {MaxLogitSpread}", ItemBiasScale);
        RequireFloatScale(PreferenceScale, "--preference-scale");
        RequireFloatScale(UserBiasScale, "--user-bias-scale");
        RequireFloatScale(ItemBiasScale, "--item-bias-scale");
        Require(LikedShare is > 0 and < 1, "--liked-share", "strictly between 0 and 1", LikedShare);
        // With no spread every true logit is the global bias: all impressions liked or none, whatever share was asked for.
        if (PreferenceScale == 0 && UserBiasScale == 0 && ItemBiasScale == 0)
            throw new ArgumentException($"--preference-scale, --user-bias-scale and --item-bias-scale are all 0: every impression would have the same true logit, " +
                $"so none could be told liked from disliked, and --liked-share ({LikedShare}) cannot be met; give one of them above 0.");
        Require(double.IsFinite(PopularityExponent) && PopularityExponent >= 0, nameof(PopularityExponent), "finite and ≥ 0", PopularityExponent);
        Require(double.IsFinite(UserActivitySigma) && UserActivitySigma >= 0, nameof(UserActivitySigma), "finite and ≥ 0", UserActivitySigma);
        Require(FalseNegativeRate is >= 0 and <= 1, "--false-negative-rate", "in [0, 1]", FalseNegativeRate);
        Require(FalsePositiveRate is >= 0 and <= 1, "--false-positive-rate", "in [0, 1]", FalsePositiveRate);
        Require(LabelSparsity is >= 0 and < 1, "--label-sparsity", "in [0, 1)", LabelSparsity);
        Require(LikeRate is >= 0 and <= 1, "--like-rate", "in [0, 1]", LikeRate);
        Require(LikePrecision is >= 0 and <= 1, nameof(LikePrecision), "in [0, 1]", LikePrecision);
        Require(HateRate is >= 0 and <= 1, "--hate-rate", "in [0, 1]", HateRate);
        Require(HatePrecision is >= 0 and <= 1, nameof(HatePrecision), "in [0, 1]", HatePrecision);
        // An impression gets a like or a hate, never both.
        if (LikeRate + HateRate > 1)
            throw new ArgumentException($"--like-rate ({LikeRate}) and --hate-rate ({HateRate}) add up to more than 1: an impression gets a like or a hate, not both; give rates whose sum is at most 1.");
        Require(ReactionBandShare is >= 0 and <= 1, nameof(ReactionBandShare), "in [0, 1]", ReactionBandShare);
        Require(double.IsFinite(MinDurationSeconds) && MinDurationSeconds >= 1, nameof(MinDurationSeconds), "finite and at least 1 second", MinDurationSeconds);
        Require(double.IsFinite(MaxDurationSeconds) && MaxDurationSeconds >= MinDurationSeconds, nameof(MaxDurationSeconds), $"finite and at least {nameof(MinDurationSeconds)}", MaxDurationSeconds);
        Require(double.IsFinite(MedianDurationSeconds) && MedianDurationSeconds > 0, nameof(MedianDurationSeconds), "finite and > 0", MedianDurationSeconds);
        Require(double.IsFinite(DurationSigma) && DurationSigma >= 0, nameof(DurationSigma), "finite and ≥ 0", DurationSigma);
        Require(double.IsFinite(MeanGapSeconds) && MeanGapSeconds >= 0, nameof(MeanGapSeconds), "finite and ≥ 0", MeanGapSeconds);
        Require(RatingNoise is >= 0 and <= MaxLogitSpread, nameof(RatingNoise), $"from 0 to {MaxLogitSpread}", RatingNoise);
    }

    /// <summary>
    /// One warning line for each of the like and hate rates (watch feedback) that the simulation cannot reach, with the rate it will
    /// reach: likes go to the finished and middle bands (hates to the skipped and middle ones) in set shares and precisions, and a band
    /// holds at most one reaction an impression. Call on valid options.
    /// </summary>
    public IEnumerable<string> UnreachableRateWarnings()
    {
        if (Feedback != FeedbackKind.Watch) yield break;
        var rates = new ReactionRates(this);
        // A shortfall below a hundredth of a percentage point is rounding, not a cap.
        const double tolerance = 1e-4;
        if (rates.ExpectedLikeRate < LikeRate - tolerance)
            yield return $"warning: --like-rate {LikeRate} cannot be reached: likes go to finished and middle-band watches, {SimulationSummary.Percent(LikePrecision, 0)} of them " +
                $"truly liked, and those hold too few impressions; about {SimulationSummary.Percent(rates.ExpectedLikeRate, 2)} of impressions will get a like";
        if (rates.ExpectedHateRate < HateRate - tolerance)
            yield return $"warning: --hate-rate {HateRate} cannot be reached: hates go to skipped and middle-band watches, {SimulationSummary.Percent(HatePrecision, 0)} of them " +
                $"truly disliked, and those hold too few impressions (less the likes on them); about {SimulationSummary.Percent(rates.ExpectedHateRate, 3)} of impressions will get a hate";
        // Labeled rows are those outside the middle band: fewer than one expected is a log with none to train or test on.
        if (Impressions * (1 - LabelSparsity) < 1)
            yield return $"warning: --label-sparsity {LabelSparsity} leaves about {Impressions * (1 - LabelSparsity):G2} of the {Impressions:N0} impressions labeled by finish rate: the log will likely have no labeled row";
    }

    /// <summary>
    /// The world's factors, biases and u·v are float32: a positive scale that is 0 there (2^-150, about 7.0E-46, half the smallest
    /// float, or less: rounding to nearest, ties to even, takes it to 0) draws only zeros, which would pass the all-zero check and then
    /// leave every true logit the same; refused, naming the flag. The rule is said as it is: a scale between 7.0E-46 and the smallest
    /// float (1.4E-45) rounds up to it and is kept, so "at least 1E-45" refused in words what it took.
    /// </summary>
    private static void RequireFloatScale(double scale, string flag) =>
        Require(scale == 0 || (float)scale > 0, flag, "0 or more than 2^-150 (about 7.0E-46), below which a scale is 0 in float32, where the simulation draws", scale);

    private void RequireFactorTable(int rows, string flag, string noun)
    {
        var values = (long)rows * Factors;
        if (values > Array.MaxLength)
            throw new ArgumentException($"{flag} × --factors must be at most {Array.MaxLength:N0} (the {noun} factors are one array of that product), " +
                $"got {rows:N0} × {Factors:N0} = {values:N0}; lower {flag} or --factors.");
    }

    /// <param name="name">The flag that gives the setting (--factors), or the setting's own name where none does (PopularityExponent, from a preset).</param>
    private static void Require(bool ok, string name, string expected, object actual)
    {
        if (ok) return;
        var named = name.StartsWith("--", StringComparison.Ordinal) ? name : $"simulator setting {name}";
        throw new ArgumentException($"{named} must be {expected}, got {(actual is int count ? $"{count:N0}" : actual)}.");
    }
}
