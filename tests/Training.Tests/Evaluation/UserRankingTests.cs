using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Tests.Evaluation;

public class UserRankingTests
{
    [Fact]
    public void Groups_by_user_orders_by_score_descending_and_breaks_ties_by_row()
    {
        int[] users = [2, 1, 2, 1, 2, 1];
        float[] scores = [0.3f, -1f, 0.9f, 0.5f, 0.3f, 0.5f];
        // User 1: rows 3 (.5), 5 (.5, later row), 1 (−1). User 2: rows 2 (.9), 0 (.3), 4 (.3, later row).
        Assert.Equal([3, 5, 1, 2, 0, 4], UserRanking.Order(users, scores));
    }

    [Fact]
    public void Matches_a_stable_reference_sort_on_random_data()
    {
        var random = new Random(5);
        var users = Enumerable.Range(0, 2000).Select(_ => random.Next(-3, 40)).ToArray();
        var scores = Enumerable.Range(0, 2000).Select(_ => random.Next(-10, 10) / 3f).ToArray();

        var expected = Enumerable.Range(0, 2000)
            .OrderBy(i => (uint)users[i]).ThenByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        Assert.Equal(expected, UserRanking.Order(users, scores));
    }

    [Theory]
    [InlineData(0, 40)]                    // dense indices, as evaluation passes: grouped by counting
    [InlineData(2_000_000_000, 2_000_000_040)]   // large ids: grouped by sorting keys
    public void Matches_a_stable_reference_sort_on_non_negative_users(int first, int last)
    {
        var random = new Random(9);
        var users = Enumerable.Range(0, 3000).Select(_ => random.Next(first, last)).ToArray();
        var scores = Enumerable.Range(0, 3000).Select(_ => random.Next(-10, 10) / 3f).ToArray();

        var expected = Enumerable.Range(0, 3000).OrderBy(i => users[i]).ThenByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        Assert.Equal(expected, UserRanking.Order(users, scores));
    }

    [Fact]
    public void Orders_scores_descending_with_negatives_and_signed_zeros_ties_by_row()
    {
        // 3 > 0 = −0 > −0.5 > −2; the two zeros tie, so row 1 comes before row 4.
        Assert.Equal([2, 1, 4, 3, 0], UserRanking.Order([-2f, 0f, 3f, -0.5f, -0f]));
    }

    [Fact]
    public void A_NaN_score_is_rejected_with_its_row()
    {
        var error = Assert.Throws<ArgumentException>(() => UserRanking.Order([0.1f, float.NaN]));
        Assert.Contains("scores[1]", error.Message);
    }
}
