namespace InverseLearning.Training.Reports;

/// <summary>Mean and sample standard deviation (n − 1 denominator; 0 for a single value) of one metric over repeats.</summary>
public sealed record MetricSummary(double Mean, double Std, int Count)
{
    public static MetricSummary Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("expected at least one value to summarize.", nameof(values));
        var mean = values.Average();
        var std = values.Count == 1 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new MetricSummary(mean, std, values.Count);
    }
}
