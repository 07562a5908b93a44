using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training.Tests.Reports.Statistics;

/// <summary>The console's closing sentence: a verdict only from metrics that were computed, never a best of NaN.</summary>
public class VerdictTests
{
    // Implicit feedback: every observed test row is positive, so only logloss is defined on them.
    private static readonly RankingMetrics AllPositive = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0.69);
    private const string Why = "AUC, GAUC, NDCG@10, NDCG@20 and MRR are undefined on the observed test labels: all 1,200 rows are positive";

    private static RunResult Run(string method, int seed, RankingMetrics test, double cleanAuc) =>
        new(method, "gmf", seed, test, CleanTest: new RankingMetrics(cleanAuc, cleanAuc, cleanAuc, cleanAuc, cleanAuc, 0.6));

    private static RunResult[] Runs(RankingMetrics test) =>
        [Run("ns", 1, test, 0.50), Run("ns", 2, test, 0.52), Run("idl", 1, test, 0.60), Run("idl", 2, test, 0.63)];

    [Fact]
    public void Metrics_undefined_on_the_observed_labels_give_no_verdict_there_but_the_reason_and_the_verdict_on_the_true_labels()
    {
        var runs = Runs(AllPositive);

        var sentence = Verdict.Sentence("ns", runs, Comparisons.Against("ns", runs), Comparisons.Against("ns", runs, clean: true), Why);

        Assert.DoesNotContain("NaN", sentence);
        Assert.DoesNotContain("the baseline ns was best", sentence);
        Assert.StartsWith($"Verdict — none on the observed labels: {Why}. On the true labels (clean test) — gmf AUC: idl was best (0.6150), ", sentence);
        Assert.Contains("gmf NDCG@10: idl was best (0.6150)", sentence);
    }

    [Fact]
    public void Without_true_labels_it_says_why_and_names_no_best()
    {
        RunResult[] runs = [new("ns", "gmf", 1, AllPositive), new("ns", "gmf", 2, AllPositive), new("idl", "gmf", 1, AllPositive), new("idl", "gmf", 2, AllPositive)];

        var sentence = Verdict.Sentence("ns", runs, Comparisons.Against("ns", runs), observedUndefined: Why);

        Assert.Equal($"Verdict — none on the observed labels: {Why}.", sentence);
        // Without the reason at hand it still names the metrics, and never prints NaN.
        Assert.Equal("Verdict — none on the observed labels: AUC, GAUC and NDCG@10 are undefined on the observed test labels.",
            Verdict.Sentence("ns", runs, Comparisons.Against("ns", runs)));
    }

    [Fact]
    public void A_single_undefined_headline_metric_is_named_as_such_and_the_others_are_judged()
    {
        var runs = Runs(new RankingMetrics(0.7, double.NaN, 0.5, 0.5, 0.4, 0.6));

        var sentence = Verdict.Sentence("ns", runs, Comparisons.Against("ns", runs));

        Assert.DoesNotContain("NaN", sentence);
        Assert.Contains("gmf GAUC: no verdict, it is undefined on the observed labels", sentence);
        Assert.Contains("gmf AUC: the baseline ns was best (0.7000), no method beat it", sentence);
    }
}
