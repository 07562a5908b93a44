using System.Globalization;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports.Statistics;

/// <summary>
/// One sentence for the console: per model and headline metric (AUC, GAUC, NDCG@10), which
/// method had the best mean and whether its edge over the baseline is significant. Only metrics
/// that were computed give a verdict: one undefined on the observed labels (implicit feedback,
/// whose test rows are all positive) says so instead of naming a best of NaN; when none is
/// defined there, the sentence says why and gives the verdict on the true labels when the runs
/// have them.
/// </summary>
public static class Verdict
{
    private static readonly (string Metric, string Name)[] Headline = [("auc", "AUC"), ("gauc", "GAUC"), ("ndcg@10", "NDCG@10")];

    /// <param name="cleanComparisons">Every method against the baseline on the true labels (clean test), for the verdict on them.</param>
    /// <param name="observedUndefined">Why metrics are undefined on the observed labels (<see cref="UndefinedMetrics.Why"/>), for the sentence.</param>
    public static string Sentence(string baseline, IReadOnlyList<RunResult> runs, IReadOnlyList<Comparison> comparisons,
        IReadOnlyList<Comparison>? cleanComparisons = null, string? observedUndefined = null)
    {
        var observed = Parts(baseline, ResultCell.Group(runs), comparisons, "the observed labels");
        if (observed.Count > 0) return "Verdict — " + string.Join("; ", observed) + ".";

        var why = observedUndefined ?? $"{UndefinedMetrics.List(Headline.Select(h => h.Name).ToList())} are undefined on the observed test labels";
        var text = $"Verdict — none on the observed labels: {why}.";
        var clean = Parts(baseline, ResultCell.Group(runs, clean: true), cleanComparisons ?? [], "the true labels");
        if (clean.Count > 0) text += " On the true labels (clean test) — " + string.Join("; ", clean) + ".";
        else if (runs.Count > 0 && runs.All(r => r.FullRanking is not null)) text += " The full ranking's comparisons (ranking_table.md) rank the methods instead.";
        return text;
    }

    /// <summary>One clause per model and headline metric; empty when no headline metric is defined on these labels.</summary>
    private static List<string> Parts(string baseline, IReadOnlyList<ResultCell> cells, IReadOnlyList<Comparison> comparisons, string labels)
    {
        var parts = new List<string>();
        var defined = false;
        foreach (var model in cells.Select(c => c.Model).Distinct())
            foreach (var (metric, name) in Headline)
            {
                // A mean of NaN (an undefined metric) is no result: it can be neither best nor beaten.
                var best = cells.Where(c => c.Model == model && double.IsFinite(c.Metrics[metric].Mean)).MaxBy(c => c.Metrics[metric].Mean);
                if (best is null)
                {
                    parts.Add($"{model} {name}: no verdict, it is undefined on {labels}");
                    continue;
                }
                defined = true;
                var mean = best.Metrics[metric].Mean.ToString("F4", CultureInfo.InvariantCulture);
                if (best.Method == baseline)
                {
                    parts.Add($"{model} {name}: the baseline {baseline} was best ({mean}), no method beat it");
                    continue;
                }
                var c = comparisons.FirstOrDefault(x => x.Model == model && x.Method == best.Method && x.Metric == metric);
                var significance = c is null ? "not tested"
                    : c.Result == ComparisonResult.Win ? $"a significant win over {baseline} (p {SignificanceTable.FormatP(c.Difference.PValue)})"
                    : $"not significantly better than {baseline} (p {SignificanceTable.FormatP(c.Difference.PValue)}), so a tie";
                parts.Add($"{model} {name}: {best.Method} was best ({mean}), {significance}");
            }
        return defined ? parts : [];
    }
}
