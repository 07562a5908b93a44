namespace InverseLearning.Training.Reports.Statistics;

/// <summary>What a <see cref="Comparison"/> of a method with the baseline found: no significant difference, or a significant win or loss.</summary>
public enum ComparisonResult { Tie, Win, Loss }
