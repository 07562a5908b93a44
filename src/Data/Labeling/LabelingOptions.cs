namespace InverseLearning.Data;

/// <summary>The label rule and its thresholds (comparisons are strict for finish rate, inclusive for rating).</summary>
public sealed record LabelingOptions(
    LabelRule Rule,
    double FinishPositiveAbove = 0.8,
    double FinishNegativeBelow = 0.2,
    float RatingPositiveAtLeast = 3,
    float RatingNegativeAtMost = 2)
{
    /// <summary>Throws when a threshold is not a number, or the thresholds overlap, which would label one row both ways.</summary>
    public void Validate()
    {
        foreach (var (flag, value) in new[] { ("--finish-positive-above", FinishPositiveAbove), ("--finish-negative-below", FinishNegativeBelow),
                     ("--rating-positive-at-least", RatingPositiveAtLeast), ("--rating-negative-at-most", (double)RatingNegativeAtMost) })
            if (double.IsNaN(value)) throw new ArgumentException($"{flag}: expected a number, got NaN");
        if (!(FinishNegativeBelow <= FinishPositiveAbove))
            throw new ArgumentException($"--finish-negative-below ({FinishNegativeBelow}) must not exceed --finish-positive-above ({FinishPositiveAbove})");
        if (!(RatingNegativeAtMost < RatingPositiveAtLeast))
            throw new ArgumentException($"--rating-negative-at-most ({RatingNegativeAtMost}) must be below --rating-positive-at-least ({RatingPositiveAtLeast})");
    }
}
