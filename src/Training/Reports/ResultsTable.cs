using InverseLearning.Data;
using System.Globalization;
using System.Text;

namespace InverseLearning.Training.Reports;

/// <summary>
/// The paper's Table 1 as Markdown: one row per method, for each model the columns NDCG@10, AUC
/// and GAUC; a cell is "mean ± std" when it holds more than one repeat. In each column the best
/// value is **bold** and the runner-up &lt;u&gt;underlined&lt;/u&gt;, compared as displayed (rounded),
/// so equal-looking cells get the same mark.
/// </summary>
public static class ResultsTable
{
    public const string FileName = "table.md";

    private static readonly (string Metric, string Header)[] Columns = [("ndcg@10", "NDCG@10"), ("auc", "AUC"), ("gauc", "GAUC")];

    /// <param name="rowHeader">The first column's header: what a run's <see cref="RunResult.Method"/> names (a ratio, in the --lr-ratio study's table).</param>
    public static string Markdown(IReadOnlyList<RunResult> runs, bool clean = false, int decimals = 4, string rowHeader = "Method")
    {
        var cells = ResultCell.Group(runs, clean);
        var methods = cells.Select(c => c.Method).Distinct().ToList();
        var models = cells.Select(c => c.Model).Distinct().ToList();
        var lookup = cells.ToDictionary(c => (c.Method, c.Model));

        var columns = models.SelectMany(model => Columns.Select(column => (model, column.Metric, column.Header))).ToList();
        var text = new StringBuilder();
        text.Append("| ").Append(rowHeader).Append(" | ").AppendJoin(" | ", columns.Select(c => $"{c.model} {c.Header}")).Append(" |\n");
        text.Append("|---|").AppendJoin("", columns.Select(_ => "---:|")).Append('\n');

        var marks = columns.Select(c => RankMarks(methods, method =>
            lookup.TryGetValue((method, c.model), out var cell) ? cell.Metrics[c.Metric].Mean : double.NaN, decimals)).ToList();
        for (var m = 0; m < methods.Count; m++)
        {
            text.Append("| ").Append(methods[m]).Append(" |");
            for (var c = 0; c < columns.Count; c++)
            {
                var shown = lookup.TryGetValue((methods[m], columns[c].model), out var cell)
                    ? Format(cell.Metrics[columns[c].Metric], decimals)
                    : "–";
                text.Append(' ').Append(marks[c][m] switch
                {
                    Mark.Best => $"**{shown}**",
                    Mark.RunnerUp => $"<u>{shown}</u>",
                    _ => shown,
                }).Append(" |");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Writes table.md atomically: the table against the observed test labels, and, when any run
    /// has them, a second table against the true labels; then <paramref name="appendix"/> (e.g. the significance tables).
    /// <paramref name="observedUndefined"/> and <paramref name="cleanUndefined"/> say, under their table, why its n/a cells are
    /// undefined (<see cref="Evaluation.UndefinedMetrics.Why"/>; implicit feedback's observed test rows are all positive).
    /// </summary>
    public static void Write(string path, string title, IReadOnlyList<RunResult> runs, int decimals = 4, string? appendix = null,
        string? observedUndefined = null, string? cleanUndefined = null)
    {
        var text = new StringBuilder($"# {title}\n\n## Test metrics (observed labels)\n\n").Append(Markdown(runs, clean: false, decimals)).Append(NotAvailable(observedUndefined));
        if (runs.Any(r => r.CleanTest is not null))
            text.Append("\n## Test metrics against the true labels (clean test)\n\n").Append(Markdown(runs, clean: true, decimals)).Append(NotAvailable(cleanUndefined));
        var repeats = runs.GroupBy(r => (r.Method, r.Model)).Max(g => g.Count());
        if (repeats > 1)
            text.Append($"\nCells are mean ± sample standard deviation over up to {repeats} seeds.");
        text.Append("\n**Bold**: best in its column; <u>underlined</u>: runner-up.\n");
        if (appendix is not null) text.Append(appendix);
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string NotAvailable(string? undefined) => undefined is null ? "" : $"\nn/a: {undefined}.\n";

    private enum Mark { None, Best, RunnerUp }

    private static Mark[] RankMarks(IReadOnlyList<string> methods, Func<string, double> mean, int decimals)
    {
        var shown = methods.Select(m => Math.Round(mean(m), decimals)).ToArray();
        var distinct = shown.Where(double.IsFinite).Distinct().OrderDescending().ToArray();
        return shown.Select(v => !double.IsFinite(v) ? Mark.None
            : v == distinct[0] ? Mark.Best
            : distinct.Length > 1 && v == distinct[1] ? Mark.RunnerUp
            : Mark.None).ToArray();
    }

    private static string Format(MetricSummary summary, int decimals)
    {
        if (!double.IsFinite(summary.Mean)) return "n/a";
        var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        var mean = summary.Mean.ToString(format, CultureInfo.InvariantCulture);
        return summary.Count > 1 ? $"{mean} ± {summary.Std.ToString(format, CultureInfo.InvariantCulture)}" : mean;
    }
}
