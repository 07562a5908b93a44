using InverseLearning.Data;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Tests.Artifacts;

public class DataFingerprintTests
{
    private static readonly DataFingerprint Trained = new(Users: 1200, Items: 3400, TrainRows: 800, ValidRows: 100, TestRows: 100, Hash: 42);

    [Fact]
    public void The_same_data_has_no_difference() => Assert.Null(Trained.Difference(Trained with { }));

    [Theory]
    [InlineData(1201, 3400)]
    [InlineData(1200, 3399)]
    public void Other_vocabularies_are_named_first(int users, int items) =>
        Assert.Equal($"{users:N0} users and {items:N0} items, the checkpoint was trained on 1,200 and 3,400",
            Trained.Difference(Trained with { Users = users, Items = items, TrainRows = 1, Hash = 7 }));

    [Theory]
    [InlineData(801, 100, 100)]
    [InlineData(800, 99, 100)]
    [InlineData(800, 100, 101)]
    public void Other_splits_name_both_splits_sizes(int train, int valid, int test) =>
        Assert.Equal($"train/valid/test {train:N0}/{valid:N0}/{test:N0} rows, the checkpoint's split had 800/100/100",
            Trained.Difference(Trained with { TrainRows = train, ValidRows = valid, TestRows = test, Hash = 7 }));

    [Fact]
    public void Same_sizes_with_other_rows_are_told_apart_by_the_hash() =>
        Assert.Equal("the same sizes but other labeled rows, or the same rows in another order, than the checkpoint was trained on " +
            "(another log, other labels or another split; or the rows reordered, as a day-partitioned copy of the log orders them: the check compares the rows in order, which its batches follow)",
            Trained.Difference(Trained with { Hash = 43 }));

    private static readonly DataFingerprint WithIds = Trained with { UserIds = 11, ItemIds = 22 };

    [Theory]
    [InlineData(12UL, 22UL, "user")]
    [InlineData(11UL, 23UL, "item")]
    [InlineData(12UL, 23UL, "user and item")]
    public void The_same_rows_under_other_ids_are_told_naming_which_ids_differ(ulong users, ulong items, string which) =>
        Assert.Equal($"the same sizes but other {which} ids than the checkpoint was trained on " +
            "(the ids differ from the checkpoint's, as in a log whose ids were renamed: its model would serve each embedding under another id)",
            WithIds.Difference(WithIds with { UserIds = users, ItemIds = items, Hash = 43 }));

    [Fact]
    public void A_checkpoint_that_recorded_no_ids_is_compared_on_the_rest_alone()
    {
        Assert.Null(Trained.Difference(WithIds));
        Assert.Null(WithIds.Difference(Trained));
        Assert.Contains("other labeled rows", Trained.Difference(WithIds with { Hash = 43 }));
    }

    [Fact]
    public void The_same_rows_in_another_order_differ_and_the_difference_names_the_order()
    {
        // Two users' rows, then the same rows in day order (interleaved), as a day-partitioned copy of the log holds them.
        var (inFileOrder, inDayOrder) = (new InteractionLog(40) { Rating = new NullableColumn<float>(40) }, new InteractionLog(40) { Rating = new NullableColumn<float>(40) });
        for (var r = 0; r < 40; r++)
        {
            (inFileOrder.UserId[r], inFileOrder.ItemId[r]) = (r / 20, r % 20);
            inFileOrder.Rating.Set(r, r % 3 == 0 ? 5 : 1);
            var d = r % 2 * 20 + r / 2;
            (inDayOrder.UserId[r], inDayOrder.ItemId[r]) = (d / 20, d % 20);
            inDayOrder.Rating.Set(r, d % 3 == 0 ? 5 : 1);
        }
        DataFingerprint Of(InteractionLog log) =>
            DataFingerprint.Of(PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Rating), new SplitOptions(Seed: 1, ByHash: true), FeedbackOptions.Default));

        var (trained, reordered) = (Of(inFileOrder), Of(inDayOrder));

        Assert.Equal(trained with { Hash = 0 }, reordered with { Hash = 0 });   // the same sizes: only the rows' order differs
        Assert.Contains("or the same rows in another order", trained.Difference(reordered)!);
    }
}
