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

    [Fact]
    public void The_summary_holds_each_full_ranking_metrics_mean_and_std()
    {
        // Only ranking_table.md held them, where README promises every metric's mean and std in results.json's summary.
        using var folder = new TempFolder();
        var labeled = new RankingMetrics(0.7, 0.6, 0.5, 0.5, 0.4, 0.6);
        RunResult[] runs =
        [
            new("ns", "gmf", 1, labeled, FullRanking: new FullRankingMetrics("truth", 10, [20], [0.25], [0.125])),
            new("ns", "gmf", 2, labeled, FullRanking: new FullRankingMetrics("truth", 10, [20], [0.75], [0.375])),
            new("ig", "gmf", 1, labeled, FullRanking: new FullRankingMetrics("truth", 10, [20], [0.5], [0.25])),
            // Another model of the same method: a cell of its own, whose runs are not ns / gmf's.
            new("ns", "lightgcn", 1, labeled, FullRanking: new FullRankingMetrics("truth", 10, [20], [1.0], [0.5])),
        ];

        ResultsJson.Write(folder.File("results.json"), runs);

        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(folder.File("results.json")))!["summary"]!.AsArray();
        var ns = summary.Single(cell => (string?)cell!["method"] == "ns" && (string?)cell["model"] == "gmf")!["full_ranking"]!;
        Assert.Equal(0.5, (double)ns["recall@20"]!["mean"]!);
        Assert.Equal(Math.Sqrt(0.125), (double)ns["recall@20"]!["std"]!, 12);   // sample std of 0.25 and 0.75
        Assert.Equal(0.25, (double)ns["ndcg@20"]!["mean"]!);
        var ig = summary.Single(cell => (string?)cell!["method"] == "ig")!["full_ranking"]!;
        Assert.Equal(0.5, (double)ig["recall@20"]!["mean"]!);
        Assert.Null(ig["recall@20"]!["std"]);   // one repeat
        var lightgcn = summary.Single(cell => (string?)cell!["model"] == "lightgcn")!["full_ranking"]!;
        Assert.Equal((1.0, 0.5), ((double)lightgcn["recall@20"]!["mean"]!, (double)lightgcn["ndcg@20"]!["mean"]!));
    }

    [Fact]
    public void A_summary_of_runs_not_ranked_holds_no_full_ranking()
    {
        using var folder = new TempFolder();
        RunResult[] runs = [new("ns", "gmf", 1, new RankingMetrics(0.7, 0.6, 0.5, 0.5, 0.4, 0.6))];

        ResultsJson.Write(folder.File("results.json"), runs);

        var cell = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(folder.File("results.json")))!["summary"]![0]!.AsObject();
        Assert.False(cell.ContainsKey("full_ranking"));
    }
}
