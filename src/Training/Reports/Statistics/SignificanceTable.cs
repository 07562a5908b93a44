using System.Globalization;
using System.Text;

namespace InverseLearning.Training.Reports.Statistics;

/// <summary>
/// The comparison against the baseline as Markdown: per method, for each model the paired
/// difference on NDCG@10, AUC and GAUC with its 95% CI and p-value, written "win" or "loss"
/// only when p &lt; 0.05 and "tie" otherwise; the caption says how.
/// </summary>
public static class SignificanceTable
{
    private static readonly (string Metric, string Header)[] LabeledRowColumns = [("ndcg@10", "NDCG@10"), ("auc", "AUC"), ("gauc", "GAUC")];

    /// <param name="columns">The metrics shown, with their headers; by default NDCG@10, AUC and GAUC.</param>
    public static string Markdown(string baseline, IReadOnlyList<Comparison> comparisons, int decimals = 4, IReadOnlyList<(string Metric, string Header)>? columns = null)
    {
        var models = comparisons.Select(c => c.Model).Distinct().ToList();
        var methods = comparisons.Select(c => c.Method).Distinct().ToList();
        var lookup = comparisons.ToDictionary(c => (c.Model, c.Method, c.Metric));
        var shown = models.SelectMany(model => (columns ?? LabeledRowColumns).Select(column => (model, column.Metric, column.Header))).ToList();
        var text = new StringBuilder();
        text.Append($"| vs {baseline} | ").AppendJoin(" | ", shown.Select(c => $"{c.model} {c.Header}")).Append(" |\n");
        text.Append("|---|").AppendJoin("", shown.Select(_ => "---|")).Append('\n');
        foreach (var method in methods)
        {
            text.Append("| ").Append(method).Append(" |");
            foreach (var column in shown)
                text.Append(' ').Append(lookup.TryGetValue((column.model, method, column.Metric), out var c) ? Cell(c, decimals) : "–").Append(" |");
            text.Append('\n');
        }
        var n = comparisons.Select(c => c.Difference.Count).DefaultIfEmpty(0).ToList();
        var pairs = n.Min() == n.Max() ? $"{n.Min()}" : $"{n.Min()}–{n.Max()}";
        text.Append(string.Create(CultureInfo.InvariantCulture,
            $"\nΔ = method − {baseline}, paired by seed ({pairs} pairs), with its 95% confidence interval (mean ± t(0.975, n−1)·s/√n). "
            + $"A difference is a **win** or a **loss** only when the paired t-test gives p < {PairedDifference.SignificanceLevel}; otherwise it is a tie, whatever its sign. "
            + $"results.json also holds the exact Wilcoxon signed-rank p when there are at least {WilcoxonSignedRank.MinimumRepeats} pairs (below that it cannot reach p < 0.05).\n"));
        return text.ToString();
    }

    private static string Cell(Comparison c, int decimals)
    {
        var d = c.Difference;
        var word = c.Result switch { ComparisonResult.Win => "**win**", ComparisonResult.Loss => "**loss**", _ => "tie" };
        return $"{word} {Signed(d.Mean, decimals)} [{Signed(d.CiLow, decimals)}, {Signed(d.CiHigh, decimals)}] p {FormatP(d.PValue)}";
    }

    /// <summary>The sign always shown, that of the value itself: a small negative that rounds to zero is "−0.0000".</summary>
    public static string Signed(double value, int decimals) =>
        (value < 0 ? "−" : "+") + Math.Abs(value).ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture);

    internal static string FormatP(double p) =>
        p < 0.001 ? "< 0.001" : p.ToString("F3", CultureInfo.InvariantCulture);
}
