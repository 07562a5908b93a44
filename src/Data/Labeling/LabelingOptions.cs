namespace InverseLearning.Data;

/// <summary>The label rule and its thresholds (comparisons are strict for finish rate, inclusive for rating).</summary>
public sealed record LabelingOptions(
    LabelRule Rule,
    double FinishPositiveAbove = 0.8,
    double FinishNegativeBelow = 0.2,
    float RatingPositiveAtLeast = 3,
    float RatingNegativeAtMost = 2);
