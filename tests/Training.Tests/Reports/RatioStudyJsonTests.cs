using System.Text.Json.Nodes;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

public class RatioStudyJsonTests
{
    private static RankingMetrics Auc(double auc) => new(auc, 0.70, 0.30, 0.40, 0.50, 0.45);

    [Fact]
    public void Each_model_and_ratio_has_its_own_runs_and_summary()
    {
        using var folder = new TempFolder();
        var path = folder.File(RatioStudyJson.FileName);
        List<List<RunResult>> gmf =
        [
            [new("ig", "gmf", 1, Auc(0.60)), new("ig", "gmf", 2, Auc(0.62))],
            [new("ig", "gmf", 1, Auc(0.80)), new("ig", "gmf", 2, Auc(0.84))],
        ];
        List<List<RunResult>> mlp = [[new("ig", "mlp", 1, Auc(0.70))], [new("ig", "mlp", 1, Auc(0.75))]];

        RatioStudyJson.Write(path, [1, 10], learningRate: 0.001, [("gmf", gmf), ("mlp", mlp)]);

        var root = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal([1.0, 10.0], root["ratios"]!.AsArray().Select(r => r!.GetValue<double>()));
        var studies = root["studies"]!.AsArray();
        Assert.Equal([("gmf", 1.0), ("gmf", 10.0), ("mlp", 1.0), ("mlp", 10.0)],
            studies.Select(s => (s!["model"]!.GetValue<string>(), s["ratio"]!.GetValue<double>())));
        Assert.Equal(0.01, studies[1]!["sample_learning_rate"]!.GetValue<double>(), 12);
        // Ratio 10's AUC alone: .80 and .84 → mean .82 (pooled with ratio 1 it would be .715).
        Assert.Equal(0.82, studies[1]!["summary"]!["test"]!["auc"]!["mean"]!.GetValue<double>(), 9);
        Assert.Equal(2, studies[1]!["summary"]!["repeats"]!.GetValue<int>());
        Assert.Equal([0.80, 0.84], studies[1]!["runs"]!.AsArray().Select(r => r!["test"]!["auc"]!.GetValue<double>()));
        Assert.Equal(0.75, studies[3]!["summary"]!["test"]!["auc"]!["mean"]!.GetValue<double>(), 9);
    }
}
