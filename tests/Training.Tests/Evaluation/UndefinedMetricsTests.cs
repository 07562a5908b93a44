using InverseLearning.Data;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Tests.Evaluation;

/// <summary>Why a split's metrics are undefined, in words, from its labels: what train, eval and experiment print beside n/a.</summary>
public class UndefinedMetricsTests
{
    private static readonly RankingMetrics Defined = new(0.7, 0.6, 0.5, 0.5, 0.4, 0.6);

    [Fact]
    public void Defined_metrics_need_no_reason()
    {
        var set = new LabeledSet([1, 1, 2], [1, 2, 3], [1f, 0f, 1f]);
        Assert.Null(UndefinedMetrics.Why(Defined, set, set.Labels, "observed test", observed: true));
    }

    [Fact]
    public void All_positive_observed_rows_are_named_implicit_feedback_and_only_the_undefined_metrics_are_listed()
    {
        var metrics = Metrics.Compute(new[] { 1, 1, 2, 3 }, new PackedLabels(new[] { 1f, 1f, 1f, 1f }), new[] { 0.2f, 0.7f, 0.4f, 0.9f });
        Assert.True(double.IsFinite(metrics.LogLoss));
        var set = new LabeledSet([1, 1, 2, 3], [1, 2, 3, 4], [1f, 1f, 1f, 1f]);

        Assert.Equal("AUC, GAUC, NDCG@10, NDCG@20 and MRR are undefined on the observed test labels: all 4 rows are positive, with no negative " +
                     "to rank them against (implicit labels: every logged interaction is positive, negatives come only from sampling)",
            UndefinedMetrics.Why(metrics, set, set.Labels, "observed test", observed: true));
    }

    [Fact]
    public void Other_causes_are_said_as_they_are()
    {
        var negatives = new LabeledSet([1, 2], [1, 2], [0f, 0f]);
        var nan = new RankingMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0.1);
        Assert.EndsWith("true (clean) test labels: none of the 2 rows is positive",
            UndefinedMetrics.Why(nan, negatives, negatives.Labels, "true (clean) test", observed: false));

        var apart = new LabeledSet([1, 2], [1, 2], [1f, 0f]);
        Assert.Equal("GAUC is undefined on the true (clean) test labels: no user holds both a positive and a negative among the 2 rows (0 users with both)",
            UndefinedMetrics.Why(Defined with { Gauc = double.NaN }, apart, apart.Labels, "true (clean) test", observed: false));
    }
}
