using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Tests.Evaluation;

public class TopKSelectionTests
{
    /// <summary>The reference: every item but 0 and the excluded ones, fully sorted by score descending, then item ascending.</summary>
    private static int[] BruteForce(float[] scores, int[] excluded, int k) =>
        Enumerable.Range(1, scores.Length - 1).Where(i => !excluded.Contains(i))
            .OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k).ToArray();

    [Fact]
    public void Hand_worked_case_skips_item_zero_and_the_excluded_items_and_breaks_ties_by_index()
    {
        // item:        0    1    2    3    4    5    6
        float[] scores = [9f, 0.5f, 0.9f, 0.7f, 0.9f, 0.1f, 0.8f];
        var top = new int[3];

        var count = TopKSelection.Select(scores, excluded: [2], top);

        // 2 (0.9) is excluded; 4 (0.9) first, then 6 (0.8), 3 (0.7); 0 is never ranked.
        Assert.Equal(3, count);
        Assert.Equal(new[] { 4, 6, 3 }, top);
    }

    [Fact]
    public void Fewer_items_than_k_returns_them_all_in_order()
    {
        float[] scores = [0f, 0.2f, 0.4f, 0.3f];
        var top = new int[5];

        var count = TopKSelection.Select(scores, excluded: [1, 7], top);

        Assert.Equal(2, count);
        Assert.Equal(new[] { 2, 3 }, top[..count]);
    }

    [Theory]
    [InlineData(1, 50, 0)]
    [InlineData(10, 200, 10)]
    [InlineData(37, 300, 150)]
    [InlineData(100, 120, 40)]
    public void Equals_a_full_sort_on_random_scores_with_ties(int k, int items, int excludedCount)
    {
        var rng = new Random(k * 7 + items);
        for (var trial = 0; trial < 20; trial++)
        {
            // Scores on a coarse grid, so that ties are frequent.
            var scores = Enumerable.Range(0, items).Select(_ => (float)rng.Next(20) / 4 - 2).ToArray();
            var excluded = Enumerable.Range(0, excludedCount).Select(_ => rng.Next(items)).Distinct().Order().ToArray();
            var top = new int[k];

            var count = TopKSelection.Select(scores, excluded, top);

            Assert.Equal(BruteForce(scores, excluded, k), top[..count]);
        }
    }
}
