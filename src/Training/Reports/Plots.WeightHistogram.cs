using ScottPlot;

namespace InverseLearning.Training.Reports;

public static partial class Plots
{
    /// <summary>
    /// The paper's Fig. 4/5: how IDL weighs the unlabeled rows — side-by-side histograms over [0, 1]
    /// of w⁺ (weight on "positive") and w⁻ (weight on "negative").
    /// </summary>
    public static void WeightHistogram(string path, string title, IReadOnlyList<float> positiveWeights, IReadOnlyList<float> negativeWeights,
        int bins = 20, int width = DefaultWidth, int height = DefaultHeight)
    {
        var plot = new Plot();
        var binWidth = 1.0 / bins;
        AddWeightBars(plot, WeightBins.Count(positiveWeights, bins, "w⁺"), binWidth, offset: 0.25, Blue,
            $"w⁺ (weight on label 1), {positiveWeights.Count:N0} rows");
        AddWeightBars(plot, WeightBins.Count(negativeWeights, bins, "w⁻"), binWidth, offset: 0.75, Orange,
            $"w⁻ (weight on label 0), {negativeWeights.Count:N0} rows");

        plot.Axes.SetLimitsX(0, 1);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.XLabel("weight");
        plot.YLabel("unlabeled rows");
        plot.ShowLegend(Alignment.UpperCenter);
        Save(plot, path, width, height);
    }

    private static void AddWeightBars(Plot plot, int[] counts, double binWidth, double offset, Color color, string label)
    {
        // Each bin holds two half-width bars: w⁺ on its left half, w⁻ on its right half.
        var bars = counts.Select((count, bin) => new Bar
        {
            Position = (bin + offset) * binWidth,
            Value = count,
            Size = binWidth / 2,
            FillColor = color,
            LineWidth = 0,
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.LegendText = label;
    }
}
