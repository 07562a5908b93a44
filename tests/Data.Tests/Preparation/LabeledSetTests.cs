namespace InverseLearning.Data.Tests.Preparation;

/// <summary>Rows grouped by user: the user column implied by the offsets, read by runs or copied a range at a time, built only when asked for.</summary>
public class LabeledSetTests
{
    // Users 0 and 3 have no rows: user 1 has rows 0–2, user 2 row 3, user 4 rows 4–5.
    private static LabeledSet Grouped() => LabeledSet.Grouped([0, 0, 3, 4, 4, 6], [10, 11, 12, 20, 40, 41], new PackedLabels([1f, 0f, 1f, 0f, 0f, 1f]));

    [Fact]
    public void Runs_and_copied_ranges_give_each_rows_user_without_holding_the_column()
    {
        var set = Grouped();
        Assert.Equal([(1, 0, 3), (2, 3, 1), (4, 4, 2)], set.UserRuns());
        for (var start = 0; start <= set.Count; start++)
            for (var length = 0; start + length <= set.Count; length++)
            {
                var users = new int[length];
                set.CopyUsers(start, users);
                Assert.Equal(new[] { 1, 1, 1, 2, 4, 4 }.AsSpan(start, length).ToArray(), users);
            }
        Assert.False(set.HoldsUserColumn);
        Assert.Equal([1, 1, 1, 2, 4, 4], set.Users);
        Assert.True(set.HoldsUserColumn);
    }

    [Fact]
    public void Runs_of_ungrouped_rows_are_consecutive_rows_of_one_user()
    {
        var set = new LabeledSet([5, 5, 2, 5], [1, 2, 3, 4], [1f, 0f, 0f, 1f]);
        Assert.Equal([(5, 0, 2), (2, 2, 1), (5, 3, 1)], set.UserRuns());
        var users = new int[2];
        set.CopyUsers(1, users);
        Assert.Equal([5, 2], users);
    }

    [Theory]
    [InlineData(new[] { 1, 2 }, 2)]       // does not start at 0
    [InlineData(new[] { 0, 3 }, 2)]       // does not end at the rows
    [InlineData(new[] { 0, 2, 1, 2 }, 2)] // decreases
    public void Offsets_that_do_not_describe_the_rows_are_refused(int[] offsets, int rows)
    {
        Assert.Throws<ArgumentException>(() => LabeledSet.Grouped(offsets, new int[rows], new PackedLabels(rows)));
    }
}
