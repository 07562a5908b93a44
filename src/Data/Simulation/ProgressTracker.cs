namespace InverseLearning.Data.Simulation;

/// <summary>Turns work done on several threads into monotonic progress reports, at most about one per percent.</summary>
internal sealed class ProgressTracker(IProgress<double>? progress, long total, double from, double to)
{
    private readonly object _gate = new();
    private long _done;
    private double _lastReported = double.NegativeInfinity;

    public void Add(long amount)
    {
        if (progress is null) return;
        lock (_gate)
        {
            _done += amount;
            var fraction = from + (to - from) * _done / Math.Max(1, total);
            if (fraction - _lastReported < 0.01 && _done < total) return;
            _lastReported = fraction;
            progress.Report(fraction);
        }
    }
}
