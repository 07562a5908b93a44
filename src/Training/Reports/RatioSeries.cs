namespace InverseLearning.Training.Reports;

/// <summary>One line of the learning-rate-ratio figure: a metric's mean and standard deviation at each ratio η_s / η.</summary>
public sealed record RatioSeries(string Label, IReadOnlyList<double> Means, IReadOnlyList<double> Stds);
