using InverseLearning.Data;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Tests.Evaluation;

public class PerUserMetricsTests
{
    [Fact]
    public void Ndcg_uses_gains_two_to_the_label_minus_one_and_cuts_at_k()
    {
        // Ranked labels 0 1 0 1 1, k = 3: DCG = 0/log2 2 + 1/log2 3 + 0/log2 4 = 0.63093;
        // ideal order 1 1 1: IDCG = 1/log2 2 + 1/log2 3 + 1/log2 4 = 1 + 0.63093 + 0.5 = 2.13093.
        var expected = (1 / Math.Log2(3)) / (1 + 1 / Math.Log2(3) + 0.5);
        Assert.Equal(expected, Metrics.NdcgAtK([0, 1, 0, 1, 1], 3), 12);
    }

    [Fact]
    public void Ndcg_with_k_beyond_the_list_uses_the_whole_list()
    {
        // Ranked 1 0 1: DCG = 1 + 1/log2 4 = 1.5; IDCG = 1 + 1/log2 3 = 1.63093 → 0.91972.
        var expected = 1.5 / (1 + 1 / Math.Log2(3));
        Assert.Equal(expected, Metrics.NdcgAtK([1, 0, 1], 10), 12);
        Assert.Equal(1.0, Metrics.NdcgAtK([1, 1, 0, 0], 2), 12);
    }

    [Fact]
    public void Ndcg_cuts_the_ideal_list_at_k_when_there_are_more_positives_than_k()
    {
        // Ranked 0 1 1 1, k = 2: DCG = 1/log2 3 = 0.63093; the ideal list is 1 1 cut at k, IDCG = 1 + 1/log2 3 = 1.63093 → 0.38685
        // (not 1 + 1/log2 3 + 1/log2 4 + 1/log2 5 over all three positives).
        Assert.Equal((1 / Math.Log2(3)) / (1 + 1 / Math.Log2(3)), Metrics.NdcgAtK([0, 1, 1, 1], 2), 12);
        // Every one of the top k is a positive: as good as any list can be.
        Assert.Equal(1.0, Metrics.NdcgAtK([1, 1, 1, 0, 1], 3), 12);
    }

    [Fact]
    public void Ndcg_discounts_ranks_past_the_tabulated_ones_by_the_same_formula()
    {
        // Positives at 0-based ranks 0 and 65 of 70, k = 100: DCG = 1/log2 2 + 1/log2 67; IDCG = 1/log2 2 + 1/log2 3.
        var labels = new float[70];
        labels[0] = labels[65] = 1;
        Assert.Equal((1 + 1 / Math.Log2(67)) / (1 + 1 / Math.Log2(3)), Metrics.NdcgAtK(labels, 100), 12);
    }

    [Fact]
    public void Ndcg_is_NaN_without_positives_and_rejects_non_positive_k()
    {
        Assert.True(double.IsNaN(Metrics.NdcgAtK([0, 0], 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.NdcgAtK([1, 0], 0));
    }

    [Fact]
    public void Reciprocal_rank_averages_over_the_positives()
    {
        // Positives at ranks 2 and 4: (1/2 + 1/4) / 2 = 0.375.
        Assert.Equal(0.375, Metrics.ReciprocalRank([0, 1, 0, 1]), 12);
        Assert.Equal(1.0, Metrics.ReciprocalRank([1, 0, 0]), 12);
        Assert.True(double.IsNaN(Metrics.ReciprocalRank([0, 0])));
    }

    [Fact]
    public void Log_loss_is_mean_binary_cross_entropy()
    {
        // −(ln 0.8 + ln(1 − 0.4)) / 2 = (0.223144 + 0.510826) / 2 = 0.366985.
        var expected = -(Math.Log(0.8) + Math.Log(0.6)) / 2;
        Assert.Equal(expected, LogLoss([1, 0], [0.8f, 0.4f]), 6);
    }

    [Fact]
    public void Log_loss_clips_probabilities_at_one_in_ten_million()
    {
        // p = 0 for a positive → −ln(1e-7) = 16.1181; p = 1 for a negative → −ln(1 − (1 − 1e-7)) = 16.1181.
        Assert.Equal(-Math.Log(1e-7), LogLoss([1], [0f]), 6);
        Assert.Equal(-Math.Log(1e-7), LogLoss([0], [1f]), 4);
        Assert.Equal(16.1181, LogLoss([1, 0], [0f, 1f]), 3);
    }

    [Fact]
    public void Log_loss_rejects_probabilities_outside_zero_one()
    {
        var error = Assert.Throws<ArgumentException>(() => LogLoss([1, 0], [0.5f, float.NaN]));
        Assert.Contains("probabilities[1]", error.Message);
    }

    // Log loss over all rows, as a split's metrics report it.
    private static double LogLoss(float[] labels, float[] probabilities) =>
        Metrics.Compute(new int[labels.Length], new PackedLabels(labels), probabilities).LogLoss;
}
