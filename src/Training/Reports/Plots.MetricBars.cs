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
        // Metrics like AUC differ in the second decimal: start the axis near the smallest bar, not at 0.
        var shown = Enumerable.Range(0, labels.Count).Where(i => double.IsFinite(means[i])).ToArray();
        if (shown.Length > 0)
        {
            var low = shown.Min(i => means[i] - stds[i]);
            var high = shown.Max(i => means[i] + stds[i]);
            var pad = Math.Max((high - low) * 0.25, 1e-3);
            plot.Axes.SetLimitsY(Math.Max(0, low - pad), high + pad);
        }
        plot.Title(title);
        plot.YLabel($"{metricName} (mean ± std)");
        Save(plot, path, width, height);
    }
}
