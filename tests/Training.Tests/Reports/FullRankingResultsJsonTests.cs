using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

public class FullRankingResultsJsonTests
{
    [Fact]
    public void Full_ranking_metrics_round_trip_through_results_json()
    {
        using var folder = new TempFolder();
        var labeled = new RankingMetrics(0.7, 0.6, 0.5, 0.5, 0.4, 0.6);
        var ranking = new FullRankingMetrics("rating:4", 123, [20, 100], [0.125, 0.25], [0.0625, 0.09375]);
        RunResult[] runs = [new("ns", "gmf", 1, labeled, FullRanking: ranking), new("ig", "gmf", 1, labeled)];

        ResultsJson.Write(folder.File("results.json"), runs);
        var read = ResultsJsonTests.RunsIn(folder.File("results.json"));

        var back = read[0].FullRanking!;
        Assert.Equal(("rating:4", 123), (back.TestPositives, back.Users));
        Assert.Equal(ranking.Ks, back.Ks);
        Assert.Equal(ranking.Recall, back.Recall);
        Assert.Equal(ranking.Ndcg, back.Ndcg);
        Assert.Null(read[1].FullRanking);
    }
}
