using System.Text.Json.Nodes;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

public class ResultsJsonTests
{
    private static readonly RankingMetrics A = new(0.80, 0.70, 0.30, 0.40, 0.50, 0.45);
    private static readonly RankingMetrics B = new(0.82, 0.74, 0.32, 0.42, 0.52, 0.43);

    [Fact]
    public void Round_trips_the_runs()
    {
        using var folder = new TempFolder();
        var path = folder.File(ResultsJson.FileName);
        RunResult[] runs = [new("ig", "GMF", 1, A, B), new("ig", "GMF", 2, B), new("ns", "NeuMF", 1, A with { Gauc = double.NaN })];

        ResultsJson.Write(path, runs);
        var read = RunsIn(path);

        Assert.Equal(runs[..2], read.Take(2));
        Assert.True(double.IsNaN(read[2].Test.Gauc));
        Assert.Equal(("ns", "NeuMF", 1), (read[2].Method, read[2].Model, read[2].Seed));
    }

    [Fact]
    public void Summary_holds_mean_and_std_per_method_and_model()
    {
        using var folder = new TempFolder();
        var path = folder.File(ResultsJson.FileName);
        RunResult[] runs = [new("ig", "GMF", 1, A, A), new("ig", "GMF", 2, B, A), new("ns", "GMF", 1, A)];

        ResultsJson.Write(path, runs, new Dictionary<string, object?> { ["dataset"] = "micro-video" });

        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var ig = root["summary"]![0]!;
        Assert.Equal("ig", ig["method"]!.GetValue<string>());
        Assert.Equal(2, ig["repeats"]!.GetValue<int>());
        // AUC .80 and .82 → mean .81, std sqrt(2 · .01² / 1) = .0141421.
        Assert.Equal(0.81, ig["test"]!["auc"]!["mean"]!.GetValue<double>(), 12);
        Assert.Equal(Math.Sqrt(0.0002), ig["test"]!["auc"]!["std"]!.GetValue<double>(), 12);
        Assert.Equal(0.80, ig["clean_test"]!["auc"]!["mean"]!.GetValue<double>(), 12);
        var ns = root["summary"]![1]!;
        Assert.Equal(1, ns["repeats"]!.GetValue<int>());
        Assert.Equal(0.80, ns["test"]!["auc"]!["mean"]!.GetValue<double>(), 12);
        Assert.True(ns["test"]!.AsObject().TryGetPropertyValue("auc", out var auc) && auc!.AsObject().ContainsKey("std"));
        Assert.Null(ns["test"]!["auc"]!["std"]); // one repeat: no standard deviation
        Assert.Null(ns["clean_test"]);
        Assert.Equal("micro-video", root["dataset"]!.GetValue<string>());
    }

    /// <summary>
    /// The runs results.json holds, read as its readers (people, scripts) read it: the trainer writes the file and never reads it back.
    /// </summary>
    internal static IReadOnlyList<RunResult> RunsIn(string path) =>
    [
        .. JsonNode.Parse(File.ReadAllText(path))!["runs"]!.AsArray().Select(run => new RunResult(
            run!["method"]!.GetValue<string>(), run["model"]!.GetValue<string>(), run["seed"]!.GetValue<int>(), Metrics(run["test"]!),
            run["clean_test"] is { } clean ? Metrics(clean) : null,
            run["full_ranking"] is JsonObject ranking ? FullRankingMetrics.FromJson(ranking, path) : null)),
    ];

    // NaN is written as null.
    private static RankingMetrics Metrics(JsonNode metrics) =>
        RankingMetrics.FromDictionary(RankingMetrics.Names.ToDictionary(name => name, name => metrics[name]?.GetValue<double>() ?? double.NaN));
}
