using InverseLearning.Data;
using InverseLearning.Training.Models;

namespace InverseLearning.Training.Tests.Models;

/// <summary>The histories CDAE and LightGCN read, built from a labeled set's positive rows.</summary>
public class UserHistoryTests
{
    [Fact]
    public void Each_users_positive_items_are_kept_once_in_ascending_order_and_negatives_are_left_out()
    {
        // User 2's item 7 twice, items out of order; user 0's only row a negative; user 3 has no row; user 1's item 4 both positive and negative.
        int[] users = [2, 1, 2, 0, 2, 1, 2, 1];
        int[] items = [7, 4, 3, 5, 7, 9, 0, 4];
        float[] labels = [1, 1, 1, 0, 1, 1, 1, 0];

        var history = UserHistory.FromPositives(4, new LabeledSet(users, items, labels));

        Assert.Equal([0, 0, 2, 5, 5], history.Offsets);
        Assert.Equal([4, 9, 0, 3, 7], history.Items);
        Assert.Equal(4, history.UserCount);
        Assert.True(history.Of(0).IsEmpty);
        Assert.Equal([0, 3, 7], history.Of(2).ToArray());
    }

    [Fact]
    public void A_set_of_no_positive_row_gives_every_user_an_empty_history()
    {
        var history = UserHistory.FromPositives(3, new LabeledSet([0, 2], [1, 1], [0f, 0f]));

        Assert.Equal([0, 0, 0, 0], history.Offsets);
        Assert.Empty(history.Items);
        Assert.Equal(1, history.ItemBound);
    }
}
