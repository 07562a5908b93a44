using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training.Tests.Reports.Statistics;

/// <summary>Which runs a significance test pairs: a method's and the baseline's runs of the same seed, and only those.</summary>
public class ComparisonPairingTests
{
    private static RunResult Run(string method, int seed, double auc) =>
        new(method, "gmf", seed, new RankingMetrics(auc, 0.7, 0.8, 0.8, 0.5, 0.6));

    [Fact]
    public void Seeds_that_only_one_side_ran_are_left_out()
    {
        // ns ran seeds 1–3, ig seeds 2–4: pairs at seeds 2 and 3 only (differences 0.03 and 0.04).
        var runs = new[] { Run("ns", 1, 0.70), Run("ns", 2, 0.71), Run("ns", 3, 0.72), Run("ig", 4, 0.99), Run("ig", 3, 0.76), Run("ig", 2, 0.74) };

        var auc = Assert.Single(Comparisons.Against("ns", runs), c => c.Metric == "auc");

        Assert.Equal(2, auc.Difference.Count);
        Assert.Equal((0.03 + 0.04) / 2, auc.Difference.Mean, 12);
        // Every other metric is equal on both sides: differences of 0, a tie with p = 1.
        Assert.All(Comparisons.Against("ns", runs).Where(c => c.Metric != "auc"), c => Assert.Equal((2, 0.0, 1.0), (c.Difference.Count, c.Difference.Mean, c.Difference.PValue)));
    }

    [Fact]
    public void A_method_sharing_fewer_than_two_seeds_with_the_baseline_is_not_compared()
    {
        var runs = new[] { Run("ns", 1, 0.70), Run("ns", 2, 0.71), Run("ig", 2, 0.74), Run("ig", 5, 0.76) };

        Assert.Empty(Comparisons.Against("ns", runs));
    }
}
