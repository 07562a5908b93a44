using System.Text.Json;
using System.Text.Json.Nodes;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports;

/// <summary>
/// An experiment's results.json: every run (<c>runs</c>: method, model, seed, test, clean_test when
/// known, full_ranking with --eval full-ranking) and their summary per method and model (<c>summary</c>: repeats and, per metric, mean and
/// std), plus the caller's extra top-level fields (e.g. the dataset and settings). NaN is written as null.
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

    /// <summary>Reads the runs back (the summary is derived from them); a malformed run names the file, run and field.</summary>
    public static IReadOnlyList<RunResult> ReadRuns(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({error.Message}).", error);
        }
        if (root?["runs"] is not JsonArray runs)
            throw new InvalidDataException($"{path}: field 'runs' is missing or not an array; expected the list of runs.");

        var result = new List<RunResult>(runs.Count);
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i] is not JsonObject run)
                throw new InvalidDataException($"{path}: runs[{i}] is not an object.");
            result.Add(new RunResult(
                ReadString(run, "method", path, i),
                ReadString(run, "model", path, i),
                (int)ReportJson.ReadNumber(run, "seed", path, $"runs[{i}].seed"),
                ReportJson.ReadMetrics(run, "test", $"{path}: runs[{i}]"),
                run.ContainsKey("clean_test") ? ReportJson.ReadMetrics(run, "clean_test", $"{path}: runs[{i}]") : null,
                run["full_ranking"] is JsonObject ranking ? FullRankingMetrics.FromJson(ranking, $"{path}: runs[{i}].full_ranking") : null));
        }
        return result;
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
            summary.Add(node);
        }
        return summary;
    }

    private static JsonObject Summary(ResultCell cell)
    {
        var node = new JsonObject();
        foreach (var (name, summary) in cell.Metrics)
            // One repeat has no sample standard deviation: null, not a 0 that reads as certainty.
            node[name] = new JsonObject { ["mean"] = ReportJson.Number(summary.Mean), ["std"] = summary.Count > 1 ? ReportJson.Number(summary.Std) : null };
        return node;
    }

    private static string ReadString(JsonObject run, string field, string path, int index) =>
        run[field] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new InvalidDataException($"{path}: field 'runs[{index}].{field}' is missing or not a string.");
}
