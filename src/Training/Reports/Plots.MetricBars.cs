using ScottPlot;

namespace InverseLearning.Training.Reports;

public static partial class Plots
{
    /// <summary>One metric across runs (e.g. methods): a bar per label with its mean and a ± std error bar.</summary>
    public static void MetricBars(string path, string title, string metricName, IReadOnlyList<string> labels,
        IReadOnlyList<double> means, IReadOnlyList<double> stds, int width = DefaultWidth, int height = DefaultHeight)
    {
        RequireSameLength(labels.Count, means.Count, "means", "label");
        RequireSameLength(labels.Count, stds.Count, "stds", "label");
        var plot = new Plot();
        var bars = labels.Select((_, i) => new Bar
        {
            Position = i,
            Value = means[i],
            Error = stds[i],
            FillColor = Blue,
        }).ToList();
        plot.Add.Bars(bars);

        plot.Axes.Bottom.SetTicks(labels.Select((_, i) => (double)i).ToArray(), labels.ToArray());
        if (BarAxis(means, stds) is var (low, high) && high > low) plot.Axes.SetLimitsY(low, high);
        plot.Title(title);
        plot.YLabel($"{metricName} (mean ± std)");
        Save(plot, path, width, height);
    }

    /// <summary>
    /// The y-axis of <see cref="MetricBars"/>: from 0, as a bar's length is read as its value (an axis cut near the bars drew a
    /// 0.0001 difference as a large gap; table.md holds the figures), to a little above the highest error bar; (0, 0) with nothing to show.
    /// </summary>
    public static (double Low, double High) BarAxis(IReadOnlyList<double> means, IReadOnlyList<double> stds)
    {
        var shown = Enumerable.Range(0, means.Count).Where(i => double.IsFinite(means[i])).ToArray();
        return shown.Length == 0 ? (0, 0) : (0, shown.Max(i => means[i] + (double.IsFinite(stds[i]) ? stds[i] : 0)) * 1.1);
    }
}
