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
}
