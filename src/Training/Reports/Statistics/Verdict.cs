using System.Globalization;

namespace InverseLearning.Training.Reports.Statistics;

/// <summary>
/// One sentence for the console: per model and headline metric (AUC, GAUC, NDCG@10), which
/// method had the best mean and whether its edge over the baseline is significant.
/// </summary>
public static class Verdict
{
    private static readonly (string Metric, string Name)[] Headline = [("auc", "AUC"), ("gauc", "GAUC"), ("ndcg@10", "NDCG@10")];

    public static string Sentence(string baseline, IReadOnlyList<RunResult> runs, IReadOnlyList<Comparison> comparisons)
    {
        var cells = ResultCell.Group(runs);
        var parts = new List<string>();
        foreach (var model in cells.Select(c => c.Model).Distinct())
            foreach (var (metric, name) in Headline)
            {
                var best = cells.Where(c => c.Model == model).MaxBy(c => c.Metrics[metric].Mean)!;
                var mean = best.Metrics[metric].Mean.ToString("F4", CultureInfo.InvariantCulture);
                if (best.Method == baseline)
                {
                    parts.Add($"{model} {name}: the baseline {baseline} was best ({mean}), no method beat it");
                    continue;
                }
                var c = comparisons.FirstOrDefault(x => x.Model == model && x.Method == best.Method && x.Metric == metric);
                var significance = c is null ? "not tested"
                    : c.Verdict == Outcome.Win ? $"a significant win over {baseline} (p {SignificanceTable.FormatP(c.Difference.PValue)})"
                    : $"not significantly better than {baseline} (p {SignificanceTable.FormatP(c.Difference.PValue)}), so a tie";
                parts.Add($"{model} {name}: {best.Method} was best ({mean}), {significance}");
            }
        return "Verdict — " + string.Join("; ", parts) + ".";
    }
}
