using InverseLearning.Data;
using ScottPlot;

namespace InverseLearning.Training.Reports;

/// <summary>
/// The analyses as PNG pictures (ScottPlot), each readable on its own: title, axis labels,
/// legend. One method per figure, in the Plots.*.cs files; all are written atomically.
/// </summary>
public static partial class Plots
{
    public const int DefaultWidth = 1000;
    public const int DefaultHeight = 550;

    // Colour-blind-safe (Okabe–Ito) colours, one per role across all figures.
    private static readonly Color Blue = Color.FromHex("#0072B2");
    private static readonly Color Orange = Color.FromHex("#E69F00");
    private static readonly Color Green = Color.FromHex("#009E73");
    private static readonly Color Grey = Color.FromHex("#999999");
    private static readonly Color Vermillion = Color.FromHex("#D55E00");

    private static void Save(Plot plot, string path, int width, int height)
    {
        if (width < 100 || height < 100)
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}×{height}: expected a picture at least 100×100 pixels.");
        FontWarning.System.WarnOnce(Console.Error);
        plot.Font.Automatic();
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }

    private static void RequireSameLength(int expected, int actual, string what, string against)
    {
        if (expected != actual)
            throw new ArgumentException($"{what} has {actual} values but {against} has {expected}; expected one per {against}.");
    }
}
