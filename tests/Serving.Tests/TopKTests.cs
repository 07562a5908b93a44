using InverseLearning.Serving.Scoring;



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

    [Fact]
    public void Whether_a_position_may_be_answered_is_asked_only_of_one_that_would_enter_the_answer()
    {
        // Scores falling: after the first three fill the answer, every later one loses to it by its score alone. Asking each
        // position first (a seen list's search for every item of a catalogue) cost Recommend a lookup per item.
        var scores = Enumerable.Range(0, 1000).Select(i => 1f - i / 1000f).ToArray();
        var asked = new List<int>();

        var answer = TopK.Select(scores, 3, i => { asked.Add(i); return i != 1; });

        Assert.Equal([0, 2, 3], answer);
        Assert.Equal([0, 1, 2, 3], asked);
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(7, 2, true)]
    [InlineData(50, 3, true)]
    [InlineData(500, 4, true)]
    [InlineData(1, 5, false)]
    [InlineData(10, 6, false)]
    [InlineData(299, 7, false)]
    [InlineData(300, 8, false)]
    public void Matches_a_stable_full_sort_on_random_scores_with_many_ties(int k, int seed, bool filtered)
    {
        var random = new Random(seed);
        var scores = Enumerable.Range(0, 300).Select(_ => random.Next(20) / 20f).ToArray();
        Func<int, bool>? include = filtered ? i => i % 7 != 3 : null;

        var expected = Enumerable.Range(0, scores.Length).Where(i => include?.Invoke(i) ?? true).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k);

        Assert.Equal(expected, TopK.Select(scores, k, include));
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(30, 2)]
    public void NaN_scores_rank_below_every_number_and_leave_the_rest_in_order(int k, int seed)
    {
        var random = new Random(seed);
        var scores = Enumerable.Range(0, 30).Select(_ => random.Next(4) == 0 ? float.NaN : random.Next(10) / 10f).ToArray();
        scores[0] = float.NaN;

        var expected = Enumerable.Range(0, scores.Length).OrderBy(i => float.IsNaN(scores[i])).ThenByDescending(i => scores[i]).ThenBy(i => i).Take(k);

        Assert.Equal(expected, TopK.Select(scores, k));
        Assert.Equal([1, 2], TopK.Select([float.NaN, 0.9f, 0.8f], 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_k_below_one_selects_nothing(int k) => Assert.Empty(TopK.Select([0.5f, 0.2f], k));
}
