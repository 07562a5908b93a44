using System.Text.Json.Nodes;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

public class MetricsJsonTests
{
    private static readonly RankingMetrics Valid = new(0.81, 0.72, 0.33, 0.41, 0.52, 0.47);
    private static readonly RankingMetrics Test = new(0.8, 0.7, 0.3, 0.4, 0.5, 0.45);

    private sealed record RunSettings(string Model, int Epochs, double Lr);

    [Fact]
    public void Has_valid_and_test_objects_with_the_report_names_and_speed_fields()
    {
        using var folder = new TempFolder();
        var path = folder.File(MetricsJson.FileName);

        MetricsJson.Write(path, Valid, Test, trainSeconds: 12.5, samplesPerSecond: 250_000);

        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(["valid", "test", "train_seconds", "samples_per_second"], root.Select(p => p.Key));
        Assert.Equal(["auc", "gauc", "ndcg@10", "ndcg@20", "mrr", "logloss"], root["test"]!.AsObject().Select(p => p.Key));
        Assert.Equal(0.3, root["test"]!["ndcg@10"]!.GetValue<double>());
        Assert.Equal(0.81, root["valid"]!["auc"]!.GetValue<double>());
        Assert.Equal(12.5, root["train_seconds"]!.GetValue<double>());
        Assert.Equal(250_000, root["samples_per_second"]!.GetValue<double>());
        Assert.Equal([MetricsJson.FileName], Directory.GetFiles(folder.Path).Select(Path.GetFileName)); // no temp file left
    }

    [Fact]
    public void Round_trips_metrics_NaN_and_extra_fields()
    {
        using var folder = new TempFolder();
        var path = folder.File(MetricsJson.FileName);
        var withNaN = Test with { Gauc = double.NaN };
        var clean = new RankingMetrics(0.9, 0.85, 0.6, 0.65, 0.7, 0.3);

        MetricsJson.Write(path, Valid, withNaN, 3, 4, new Dictionary<string, object?>
        {
            ["clean_test"] = clean,
            ["config"] = new RunSettings("gmf", 10, 1e-3),
            ["method"] = "ig",
            ["case_counts"] = new Dictionary<string, int> { ["direct"] = 5, ["pass"] = 2 },
        });
        var report = MetricsJson.Read(path);

        Assert.Equal(Valid, report.Valid);
        Assert.True(double.IsNaN(report.Test.Gauc));
        Assert.Equal(withNaN with { Gauc = 0 }, report.Test with { Gauc = 0 });
        Assert.Null(JsonNode.Parse(File.ReadAllText(path))!["test"]!["gauc"]);
        Assert.Equal(3, report.TrainSeconds);
        Assert.Equal(4, report.SamplesPerSecond);
        Assert.Equal(0.85, report.Extra["clean_test"]!["gauc"]!.GetValue<double>());
        Assert.Equal("gmf", report.Extra["config"]!["Model"]!.GetValue<string>());
        Assert.Equal(1e-3, report.Extra["config"]!["Lr"]!.GetValue<double>());
        Assert.Equal("ig", report.Extra["method"]!.GetValue<string>());
        Assert.Equal(5, report.Extra["case_counts"]!["direct"]!.GetValue<int>());
    }

    [Fact]
    public void Extra_fields_may_not_replace_standard_ones()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() => MetricsJson.Write(folder.File("m.json"), Valid, Test, 1, 1,
            new Dictionary<string, object?> { ["test"] = 1 }));
        Assert.Contains("'test'", error.Message);
    }

    [Fact]
    public void Reading_a_file_with_a_missing_metric_names_the_file_and_field()
    {
        using var folder = new TempFolder();
        var path = folder.File("metrics.json");
        File.WriteAllText(path, """{"valid":{"auc":1,"gauc":1,"ndcg@10":1,"ndcg@20":1,"mrr":1,"logloss":1},"test":{"auc":1},"train_seconds":1,"samples_per_second":1}""");

        var error = Assert.Throws<InvalidDataException>(() => MetricsJson.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("test.gauc", error.Message);
    }

    [Fact]
    public void Reading_a_non_number_names_the_field()
    {
        using var folder = new TempFolder();
        var path = folder.File("metrics.json");
        File.WriteAllText(path, """{"valid":{"auc":1,"gauc":1,"ndcg@10":1,"ndcg@20":1,"mrr":1,"logloss":1},"test":{"auc":1,"gauc":1,"ndcg@10":1,"ndcg@20":1,"mrr":1,"logloss":1},"train_seconds":"fast","samples_per_second":1}""");

        var error = Assert.Throws<InvalidDataException>(() => MetricsJson.Read(path));
        Assert.Contains("'train_seconds'", error.Message);
    }
}
