namespace InverseLearning.Benchmarks.Serving;

/// <summary>Call latencies of one load level, summarised as throughput and percentiles.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _milliseconds = [];

    public int Count => _milliseconds.Count;

    public void Add(IEnumerable<double> milliseconds) => _milliseconds.AddRange(milliseconds);

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
