namespace InverseLearning.Data.Simulation;

/// <summary>
/// Cuts calibrated true logits into MovieLens-like stars: liked (logit &gt; 0) gives 3–5,
/// disliked 1–2, with cut points at quantiles that reproduce roughly MovieLens' shares
/// (among liked: 31% threes, 42% fours, 27% fives; among disliked: 35% ones).
/// </summary>
internal sealed class RatingScale
{
    private const double OnesAmongDisliked = 0.35, ThreesAmongLiked = 0.31, UpToFoursAmongLiked = 0.73;
    private const double TwosAmongFalseNegatives = 0.65, ThreesAmongFalsePositives = 0.7;

    private readonly float _oneBelow, _fourFrom, _fiveFrom;

    private RatingScale(float oneBelow, float fourFrom, float fiveFrom)
    {
        _oneBelow = oneBelow;
        _fourFrom = fourFrom;
        _fiveFrom = fiveFrom;
    }

    /// <param name="sortedLogits">A sample of calibrated true logits, ascending.</param>
    public static RatingScale FromSample(ReadOnlySpan<float> sortedLogits)
    {
        var firstPositive = 0;
        while (firstPositive < sortedLogits.Length && sortedLogits[firstPositive] <= 0) firstPositive++;
        var negatives = sortedLogits[..firstPositive];
        var positives = sortedLogits[firstPositive..];
        return new RatingScale(
            Quantile(negatives, OnesAmongDisliked, fallback: -1f),
            Quantile(positives, ThreesAmongLiked, fallback: 1f),
            Quantile(positives, UpToFoursAmongLiked, fallback: 2f));
    }

    /// <summary>Stars for one impression; <paramref name="flipped"/> puts it on the wrong side of 3 (the configured noise).</summary>
    public float Rate(float logit, bool flipped, ref SimRandom random, double noise)
    {
        var liked = logit > 0;
        if (flipped)
            return liked
                ? random.NextDouble() < TwosAmongFalseNegatives ? 2f : 1f
                : random.NextDouble() < ThreesAmongFalsePositives ? 3f : 4f;
        var noisy = logit + noise * random.NextGaussian();
        if (liked) return noisy < _fourFrom ? 3f : noisy < _fiveFrom ? 4f : 5f;
        return noisy < _oneBelow ? 1f : 2f;
    }

    private static float Quantile(ReadOnlySpan<float> sorted, double q, float fallback) =>
        sorted.Length == 0 ? fallback : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
