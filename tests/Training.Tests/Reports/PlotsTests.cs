using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

public class PlotsTests
{
    [Fact]
    public void Convergence_figure_is_a_png_of_the_requested_size()
    {
        using var folder = new TempFolder();
        var path = folder.File("convergence.png");
        var random = new Random(1);
        var records = Enumerable.Range(0, 120).Select(step =>
        {
            var loss = 0.7 * Math.Exp(-step / 60.0);
            var chosen = (IgCase)random.Next(3);
            return new ConvergenceRecord(step / 40, step, chosen, loss + random.NextDouble() * 0.02, loss + random.NextDouble() * 0.02, loss + 0.01);
        }).ToList();

        Plots.Convergence(path, records, width: 900, height: 500);

        Assert.Equal((900, 500), PngFile.AssertValid(path));
        Assert.Equal(["convergence.png"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Weight_histogram_is_a_png_of_the_default_size()
    {
        using var folder = new TempFolder();
        var path = folder.File("weights.png");
        var random = new Random(2);
        var plus = Enumerable.Range(0, 5000).Select(_ => (float)Math.Pow(random.NextDouble(), 3)).ToArray();
        var minus = plus.Select(w => 1 - w).ToArray();

        Plots.WeightHistogram(path, "IDL weights after epoch 1", plus, minus);

        Assert.Equal((Plots.DefaultWidth, Plots.DefaultHeight), PngFile.AssertValid(path));
    }

    [Fact]
    public void Learning_rate_ratio_figure_is_a_png()
    {
        using var folder = new TempFolder();
        var path = folder.File("lr-ratio.png");

        Plots.LearningRateRatio(path, [1, 10, 50, 100], "test AUC", [0.78, 0.81, 0.83, 0.82], [0.004, 0.003, 0.002, 0.005], width: 800, height: 450);

        Assert.Equal((800, 450), PngFile.AssertValid(path));
    }

    [Fact]
    public void Metric_bars_figure_is_a_png()
    {
        using var folder = new TempFolder();
        var path = folder.File("auc.png");

        Plots.MetricBars(path, "GMF: test AUC by method", "AUC", ["none", "ns", "tce", "ig"], [0.76, 0.79, 0.8, 0.83], [0.01, 0.004, 0, 0.002]);

        Assert.Equal((Plots.DefaultWidth, Plots.DefaultHeight), PngFile.AssertValid(path));
    }

    [Fact]
    public void A_series_with_the_wrong_number_of_points_is_rejected()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() =>
            Plots.LearningRateRatio(folder.File("x.png"), [1, 10, 50], "AUC", [0.7, 0.8], [0, 0]));
        Assert.Contains("has 2 values", error.Message);
    }

    [Fact]
    public void Weight_bins_count_over_zero_one_with_one_in_the_last_bin()
    {
        // 4 bins of width 0.25: 0 → bin 0, 0.2 → 0, 0.25 → 1, 0.6 → 2, 0.99 → 3, 1 → 3.
        Assert.Equal([2, 1, 1, 2], WeightBins.Count([0f, 0.2f, 0.25f, 0.6f, 0.99f, 1f], 4));
        var error = Assert.Throws<ArgumentException>(() => WeightBins.Count([0.5f, 1.5f], 4, "w⁺"));
        Assert.Contains("w⁺[1]", error.Message);
    }

    [Fact]
    public void Metric_bars_start_at_zero_so_that_a_small_difference_is_drawn_small()
    {
        // The axis started just below the lower bar: AUC 0.4768 against 0.4788 was drawn as a bar twice the other's height.
        var (low, high) = Plots.BarAxis([0.4768, 0.4788, double.NaN], [0.0001, 0.0002, double.NaN]);

        Assert.Equal(0, low);
        Assert.Equal(0.479 * 1.1, high, 9);
    }
}
