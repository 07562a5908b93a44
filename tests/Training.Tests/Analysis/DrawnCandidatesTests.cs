using InverseLearning.Training.Analysis;

namespace InverseLearning.Training.Tests.Analysis;

public class DrawnCandidatesTests
{
    [Fact]
    public void Each_drawn_candidate_is_the_kth_row_of_the_chosen_users_in_draw_order()
    {
        var random = new Random(4);
        var rowUsers = Enumerable.Range(0, 5000).Select(_ => random.Next(100)).ToArray();
        Func<int, bool> even = user => user % 2 == 0;
        var candidates = rowUsers.Where(even).ToArray();
        var drawn = Enumerable.Range(0, 700).Select(_ => random.Next(candidates.Length)).ToArray();   // repeats and any order

        Assert.Equal(drawn.Select(k => candidates[k]), DrawnCandidates.UsersOf(rowUsers, even, drawn));
        Assert.Equal(drawn.Select(k => rowUsers[k]), DrawnCandidates.UsersOf(rowUsers, null, drawn));
        Assert.Throws<ArgumentOutOfRangeException>(() => DrawnCandidates.UsersOf(rowUsers, even, [candidates.Length]));
    }
}
