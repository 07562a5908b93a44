using System.Text.Json.Nodes;

namespace InverseLearning.Training.Reports.Statistics;

/// <summary>results.json's <c>comparisons</c>: per model, method and metric the paired difference, its CI, t, p, Wilcoxon's p (null below its threshold) and the verdict.</summary>
public static class SignificanceJson
{
    public static JsonObject Of(string baseline, IReadOnlyList<Comparison> observed, IReadOnlyList<Comparison> clean)
    {
        var node = new JsonObject
        {
            ["baseline"] = baseline,
            ["confidence"] = PairedDifference.Confidence,
            ["significance_level"] = PairedDifference.SignificanceLevel,
            ["wilcoxon_min_repeats"] = WilcoxonSignedRank.MinimumRepeats,
            ["test"] = Rows(observed),
        };
        if (clean.Count > 0) node["clean_test"] = Rows(clean);
        return node;
    }

    private static JsonArray Rows(IReadOnlyList<Comparison> comparisons)
    {
        var rows = new JsonArray();
        foreach (var c in comparisons)
        {
            var d = c.Difference;
            rows.Add(new JsonObject
            {
                ["model"] = c.Model,
                ["method"] = c.Method,
                ["metric"] = c.Metric,
                ["pairs"] = d.Count,
                ["mean_difference"] = ReportJson.Number(d.Mean),
                ["std_difference"] = ReportJson.Number(d.Std),
                ["ci95_low"] = ReportJson.Number(d.CiLow),
                ["ci95_high"] = ReportJson.Number(d.CiHigh),
                ["t"] = d.T is var t && double.IsFinite(t) ? t : t > 0 ? "inf" : "-inf",
                ["p_t_test"] = ReportJson.Number(d.PValue),
                ["p_wilcoxon"] = d.WilcoxonP is { } w ? ReportJson.Number(w) : null,
                ["verdict"] = c.Result.ToString().ToLowerInvariant(),
            });
        }
        return rows;
    }
}
