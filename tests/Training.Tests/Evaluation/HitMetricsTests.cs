using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Tests.Evaluation;

public class HitMetricsTests
{
    [Fact]
    public void Hand_worked_recall_and_ndcg()
    {
        // Ranked 7, 3, 9, 4, 1; positives {1, 3, 8}: hits at ranks 2 and 5 (1-based).
        int[] ranked = [7, 3, 9, 4, 1];
        int[] positives = [1, 3, 8];

        var (recall3, ndcg3) = HitMetrics.At(ranked, positives, 3);
        var (recall5, ndcg5) = HitMetrics.At(ranked, positives, 5);

        Assert.Equal(1.0 / 3, recall3, 12);
        Assert.Equal(2.0 / 3, recall5, 12);
        // DCG@3 = 1/log2(3); IDCG@3 = 1 + 1/log2(3) + 1/2.
        Assert.Equal((1 / Math.Log2(3)) / (1 + 1 / Math.Log2(3) + 0.5), ndcg3, 12);
        // DCG@5 = 1/log2(3) + 1/log2(6); IDCG over min(3, 5) = 3 ranks.
        Assert.Equal((1 / Math.Log2(3) + 1 / Math.Log2(6)) / (1 + 1 / Math.Log2(3) + 0.5), ndcg5, 12);
    }

    [Fact]
    public void Ideal_dcg_stops_at_k_when_there_are_more_positives()
    {
        // Both top-2 items are positives out of 4: NDCG@2 is 1, recall 1/2.
        var (recall, ndcg) = HitMetrics.At([2, 5, 6], [1, 2, 5, 9], 2);

        Assert.Equal(0.5, recall, 12);
        Assert.Equal(1.0, ndcg, 12);
    }

    [Fact]
    public void No_hit_gives_zero()
    {
        Assert.Equal((0.0, 0.0), HitMetrics.At([1, 2], [3], 2));
    }
}
