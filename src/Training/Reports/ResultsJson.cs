using System.Text.Json.Nodes;

namespace InverseLearning.Training.Reports;

/// <summary>
/// An experiment's results.json: every run (<c>runs</c>: method, model, seed, test, clean_test when
/// known, full_ranking with --eval full-ranking) and their summary per method and model (<c>summary</c>: repeats and, per metric, mean and
/// std, the full ranking's too), plus the caller's extra top-level fields (e.g. the dataset and settings). NaN is written as null.
/// </summary>
public static class ResultsJson
{
    public const string FileName = "results.json";

    public static void Write(string path, IReadOnlyList<RunResult> runs, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var root = new JsonObject { ["runs"] = Runs(runs), ["summary"] = Summaries(runs) };
        ReportJson.AddExtra(root, extra, FileName);
        ReportJson.Write(path, root);
    }

    /// <summary>Each run as <c>runs</c> holds it: method, model, seed, test, clean_test when known, full_ranking when measured.</summary>
    internal static JsonArray Runs(IReadOnlyList<RunResult> runs)
    {
        var nodes = new JsonArray();
        foreach (var run in runs)
        {
            var node = new JsonObject
            {
                ["method"] = run.Method,
                ["model"] = run.Model,
                ["seed"] = run.Seed,
                ["test"] = ReportJson.FromMetrics(run.Test),
            };
            if (run.CleanTest is not null) node["clean_test"] = ReportJson.FromMetrics(run.CleanTest);
            if (run.FullRanking is not null) node["full_ranking"] = ReportJson.FromValue(run.FullRanking.ToDictionary());
            nodes.Add(node);
        }
        return nodes;
    }

    /// <summary>The runs' summary per method and model, as <c>summary</c> holds it: repeats, then each metric's mean and std.</summary>
    internal static JsonArray Summaries(IReadOnlyList<RunResult> runs)
    {
        var clean = ResultCell.Group(runs, clean: true).ToDictionary(c => (c.Method, c.Model));
        var summary = new JsonArray();
        foreach (var cell in ResultCell.Group(runs))
        {
            var node = new JsonObject
            {
                ["method"] = cell.Method,
                ["model"] = cell.Model,
                ["repeats"] = cell.Metrics.Values.First().Count,
                ["test"] = Summary(cell),
            };
            if (clean.TryGetValue((cell.Method, cell.Model), out var cleanCell)) node["clean_test"] = Summary(cleanCell);
            if (FullRankingSummary(runs.Where(run => run.Method == cell.Method && run.Model == cell.Model).ToList()) is { } ranking) node["full_ranking"] = ranking;
            summary.Add(node);
        }
        return summary;
    }

    private static JsonObject Summary(ResultCell cell)
    {
        var node = new JsonObject();
        foreach (var (name, summary) in cell.Metrics) node[name] = MeanAndStd(summary);
        return node;
    }

    /// <summary>
    /// The full ranking's Recall@K and NDCG@K over a cell's runs, as ranking_table.md shows them: it was in that table only, where
    /// README promises every metric's mean and std here. Null where a run was not ranked (no --eval full-ranking).
    /// </summary>
    private static JsonObject? FullRankingSummary(IReadOnlyList<RunResult> cellRuns)
    {
        if (cellRuns.Count == 0 || cellRuns.Any(run => run.FullRanking is null)) return null;
        var node = new JsonObject();
        foreach (var name in cellRuns[0].FullRanking!.Names) node[name] = MeanAndStd(MetricSummary.Of(cellRuns.Select(run => run.FullRanking![name]).ToList()));
        return node;
    }

    // One repeat has no sample standard deviation: null, not a 0 that reads as certainty.
    private static JsonObject MeanAndStd(MetricSummary summary) =>
        new() { ["mean"] = ReportJson.Number(summary.Mean), ["std"] = summary.Count > 1 ? ReportJson.Number(summary.Std) : null };
}
