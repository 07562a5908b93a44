using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

public class FullRankingTableTests
{
    private static readonly RankingMetrics Labeled = new(0.7, 0.6, 0.5, 0.5, 0.4, 0.6);

    private static RunResult Run(string method, string model, int seed, double recall50, double ndcg50) =>
        new(method, model, seed, Labeled, FullRanking: new FullRankingMetrics("truth", 10, [50, 100], [recall50, recall50 + 0.1], [ndcg50, ndcg50 + 0.05]));

    [Fact]
    public void Rows_per_model_and_method_with_recall_then_ndcg_columns_and_the_best_in_bold()
    {
        var markdown = FullRankingTable.Markdown([
            Run("ns", "gmf", 1, 0.10, 0.05), Run("ns", "gmf", 2, 0.12, 0.07),
            Run("tce", "gmf", 1, 0.20, 0.04),
            Run("ns", "neumf", 1, 0.30, 0.02)]);

        var lines = markdown.TrimEnd().Split('\n');
        Assert.Equal("| Model | Method | Recall@50 | Recall@100 | NDCG@50 | NDCG@100 |", lines[0]);
        Assert.Equal("| gmf | ns | 0.1100 ± 0.0141 | 0.2100 ± 0.0141 | **0.0600 ± 0.0141** | **0.1100 ± 0.0141** |", lines[2]);
        Assert.Equal("| gmf | tce | **0.2000** | **0.3000** | 0.0400 | 0.0900 |", lines[3]);
        Assert.Equal("| neumf | ns | **0.3000** | **0.4000** | **0.0200** | **0.0700** |", lines[4]);
    }

    [Fact]
    public void Runs_ranked_at_different_k_are_refused()
    {
        var other = new RunResult("ns", "gmf", 1, Labeled, FullRanking: new FullRankingMetrics("truth", 10, [20], [0.1], [0.1]));

        Assert.Throws<ArgumentException>(() => FullRankingTable.Markdown([Run("ns", "gmf", 1, 0.1, 0.1), other]));
    }
}
