using ScottPlot;

namespace InverseLearning.Training.Reports;

public static partial class Plots
{
    /// <summary>
    /// The paper's Fig. 6: the training-test batch loss at the chosen candidate for every IG step,
    /// with each step's point marked by its case (direct / inverse / pass) and epochs separated
    /// by dotted lines.
    /// </summary>
    public static void Convergence(string path, IReadOnlyList<ConvergenceRecord> records,
        int width = DefaultWidth, int height = DefaultHeight)
    {
        var plot = new Plot();
        var steps = Enumerable.Range(0, records.Count).Select(i => (double)i).ToArray();
        var line = plot.Add.ScatterLine(steps, records.Select(r => r.ChosenLoss).ToArray(), Grey);
        line.LineWidth = 1;

        AddCase(plot, records, IgCase.Direct, "direct (θ − η_s·g)", Blue, MarkerShape.FilledCircle);
        AddCase(plot, records, IgCase.Inverse, "inverse (θ + η_s·g)", Vermillion, MarkerShape.FilledTriangleUp);
        AddCase(plot, records, IgCase.Pass, "pass (θ)", Green, MarkerShape.FilledSquare);

        var firstBoundary = true;
        for (var i = 1; i < records.Count; i++)
        {
            if (records[i].Epoch == records[i - 1].Epoch) continue;
            var boundary = plot.Add.VerticalLine(i - 0.5, 1, Grey, LinePattern.Dotted);
            if (firstBoundary) boundary.LegendText = "start of a new epoch";
            firstBoundary = false;
        }

        plot.Title("Inverse Gradient convergence: training-test loss per step");
        plot.XLabel("IG step");
        plot.YLabel("BCE on the training-test batch (chosen candidate)");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, width, height);
    }

    private static void AddCase(Plot plot, IReadOnlyList<ConvergenceRecord> records, IgCase chosen, string label, Color color, MarkerShape shape)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Case != chosen) continue;
            xs.Add(i);
            ys.Add(records[i].ChosenLoss);
        }
        var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray(), shape, 7, color);
        markers.LegendText = $"{label}: {xs.Count} steps";
    }
}
