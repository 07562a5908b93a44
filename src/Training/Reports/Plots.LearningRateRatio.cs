using System.Globalization;
using ScottPlot;

namespace InverseLearning.Training.Reports;

public static partial class Plots
{
    /// <summary>The RQ4 study: a test metric (mean ± std over repeats) against the ratio η_s / η.</summary>
    /// <param name="measure">What is plotted, e.g. "test AUC".</param>
    public static void LearningRateRatio(string path, IReadOnlyList<double> ratios, string measure,
        IReadOnlyList<double> means, IReadOnlyList<double> stds, int width = DefaultWidth, int height = DefaultHeight) =>
        LearningRateRatio(path, ratios, measure, [new RatioSeries(measure, means, stds)], width: width, height: height);

    /// <summary>The RQ4 study with one line per series (e.g. one per model); the ratios are evenly spaced categories.</summary>
    /// <param name="measure">What is plotted, e.g. "test AUC" or "clean test AUC".</param>
    /// <param name="note">Added to the title: why these labels, or why nothing is shown.</param>
    public static void LearningRateRatio(string path, IReadOnlyList<double> ratios, string measure,
        IReadOnlyList<RatioSeries> series, string note = "", int width = DefaultWidth, int height = DefaultHeight)
    {
        var plot = new Plot();
        var positions = Enumerable.Range(0, ratios.Count).Select(i => (double)i).ToArray();
        Color[] palette = [Blue, Vermillion, Green, Orange, Grey];
        for (var s = 0; s < series.Count; s++)
        {
            var line = series[s];
            RequireSameLength(ratios.Count, line.Means.Count, $"means of '{line.Label}'", "ratio");
            RequireSameLength(ratios.Count, line.Stds.Count, $"stds of '{line.Label}'", "ratio");
            var color = palette[s % palette.Length];
            var scatter = plot.Add.Scatter(positions, line.Means.ToArray(), color);
            scatter.MarkerSize = 8;
            scatter.LineWidth = 2;
            scatter.LegendText = line.Label;
            var errors = plot.Add.ErrorBar(positions, line.Means.ToArray(), line.Stds.ToArray());
            errors.Color = color;
        }

        plot.Axes.Bottom.SetTicks(positions, ratios.Select(r => r.ToString("G4", CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Margins(horizontal: 0.1, vertical: 0.15);
        plot.Title($"Inverse Gradient: {measure} against the learning-rate ratio{note}");
        plot.XLabel("η_s / η (sample learning rate over learning rate)");
        plot.YLabel($"{measure} (mean ± std)");
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, width, height);
    }
}
