using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training.Tests.Reports.Statistics;

/// <summary>The experiment's significance on the full ranking's metrics: methods paired with the baseline by seed, per model and K.</summary>
public class FullRankingComparisonsTests
{
    private static readonly RankingMetrics Labeled = new(0.7, 0.7, 0.8, 0.8, 0.5, 0.6);

    private static RunResult Run(string method, int seed, double recall50, double ndcg50) =>
        new(method, "gmf", seed, Labeled, FullRanking: new FullRankingMetrics("truth", 100, [50], [recall50], [ndcg50]));

    [Fact]
    public void Pairs_each_method_with_the_baseline_by_seed_on_recall_and_ndcg()
    {
        var runs = new[]
        {
            Run("ns", 1, 0.20, 0.10), Run("ns", 2, 0.22, 0.11), Run("ns", 3, 0.21, 0.12),
            Run("rce", 3, 0.24, 0.12), Run("rce", 1, 0.23, 0.11), Run("rce", 2, 0.25, 0.12),
        };

        var comparisons = Comparisons.OnFullRanking("ns", runs);

        Assert.Equal(["recall@50", "ndcg@50"], comparisons.Select(c => c.Metric));
        var recall = comparisons[0];
        Assert.Equal(("gmf", "rce", "ns", 3), (recall.Model, recall.Method, recall.Baseline, recall.Difference.Count));
        Assert.Equal((0.03 + 0.03 + 0.03) / 3, recall.Difference.Mean, 12);   // paired by seed: 0.23−0.20, 0.25−0.22, 0.24−0.21
        Assert.Equal(ComparisonResult.Win, recall.Result);
        Assert.Equal((0.01 + 0.01 + 0.0) / 3, comparisons[1].Difference.Mean, 12);
    }

    [Fact]
    public void Runs_without_a_full_ranking_give_no_comparison()
    {
        var runs = new[] { new RunResult("ns", "gmf", 1, Labeled), new RunResult("ns", "gmf", 2, Labeled), new RunResult("rce", "gmf", 1, Labeled), new RunResult("rce", "gmf", 2, Labeled) };

        Assert.Empty(Comparisons.OnFullRanking("ns", runs));
        Assert.Equal(RankingMetrics.Names.Count, Comparisons.Against("ns", runs).Count);
    }
}
