namespace InverseLearning.Serving.Tests;

public sealed class TopKTests
{
    [Fact]
    public void Hand_worked_case_best_first_ties_by_position()
    {
        float[] scores = [0.2f, 0.9f, 0.5f, 0.9f, 0.5f, 0.1f];

        Assert.Equal([1, 3, 2, 4], TopK.Select(scores, 4));
        Assert.Equal([1, 3, 2, 4, 0, 5], TopK.Select(scores, 10));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(50, 3)]
    [InlineData(500, 4)]
    public void Matches_a_stable_full_sort_on_random_scores_with_many_ties(int k, int seed)
    {
        var random = new Random(seed);
        var scores = Enumerable.Range(0, 300).Select(_ => random.Next(20) / 20f).ToArray();
        Func<int, bool> include = i => i % 7 != 3;

        var expected = Enumerable.Range(0, scores.Length).Where(include).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k);

        Assert.Equal(expected, TopK.Select(scores, k, include));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(10, 6)]
    [InlineData(99, 7)]
    [InlineData(100, 8)]
    public void Matches_a_stable_full_sort_over_every_position(int k, int seed)
    {
        var random = new Random(seed);
        var scores = Enumerable.Range(0, 100).Select(_ => random.Next(30) / 30f).ToArray();

        var expected = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k);

        Assert.Equal(expected, TopK.Select(scores, k));
    }
}
