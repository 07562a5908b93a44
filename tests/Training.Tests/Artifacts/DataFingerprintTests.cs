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

    private static readonly DataFingerprint WithBeside = Trained with { ExtraFeedback = 5, Unlabeled = 6 };

    [Fact]
    public void Other_extra_feedback_is_told_after_the_labeled_rows()
    {
        Assert.Equal("the same labeled rows but other extra feedback (likes) than the checkpoint was trained on " +
            "(the rows --extra-feedback marks differ: the log's likes changed, or another rule marks them; warm-up, finetune and colliding read them)",
            WithBeside.Difference(WithBeside with { ExtraFeedback = 7 }));
        Assert.Contains("other labeled rows", WithBeside.Difference(WithBeside with { ExtraFeedback = 7, Unlabeled = 8, Hash = 43 }));
    }

    [Fact]
    public void Other_unlabeled_rows_are_told_after_the_extra_feedback() =>
        Assert.Equal("the same labeled rows but other unlabeled rows than the checkpoint was trained on " +
            "(the rows the label rule leaves unlabeled hold other (user, item) pairs: the items each user has seen, which \"unseen\" negatives avoid, " +
            "and the impressions --unlabeled-source impressions|both draws from differ)",
            WithBeside.Difference(WithBeside with { Unlabeled = 8 }));

    [Fact]
    public void A_checkpoint_that_recorded_no_extra_feedback_or_unlabeled_rows_is_compared_on_the_rest_alone()
    {
        Assert.Null(Trained.Difference(WithBeside));
        Assert.Null(WithBeside.Difference(Trained));
        Assert.Contains("other labeled rows", Trained.Difference(WithBeside with { Hash = 43 }));
    }

    // Ten users with twelve of twenty items each: rated 5, 1 or 2.5 (left unlabeled by the rating rule) in turn, every other one liked.
    private static InteractionLog Rated(Func<int, int, bool>? liked = null, bool unlabeledMoved = false)
    {
        var log = new InteractionLog(120) { Rating = new NullableColumn<float>(120), Like = new NullableColumn<bool>(120) };
        for (var r = 0; r < 120; r++)
        {
            var (user, k) = (r / 12, r % 12);
            var unlabeled = k % 3 == 2;
            // Moved, each unlabeled row goes to an item its user has no other row of: 12 to 15 past its first.
            (log.UserId[r], log.ItemId[r]) = (user, (user + (unlabeled && unlabeledMoved ? 12 + k / 3 : k)) % 20);
            log.Rating.Set(r, (k % 3) switch { 0 => 5, 1 => 1, _ => 2.5f });
            log.Like.Set(r, liked?.Invoke(user, k) ?? k % 2 == 0);
        }
        return log;
    }

    private static DataFingerprint Of(InteractionLog log) =>
        DataFingerprint.Of(PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Rating), new SplitOptions(Seed: 1, ByHash: true), FeedbackOptions.Default));

    [Fact]
    public void The_same_log_read_twice_has_the_same_fingerprint()
    {
        var (first, second) = (Of(Rated()), Of(Rated()));

        Assert.NotNull(first.ExtraFeedback);
        Assert.NotNull(first.Unlabeled);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Other_likes_change_the_extra_feedback_hash_alone()
    {
        var (trained, relabeled) = (Of(Rated()), Of(Rated(liked: (_, k) => k % 2 == 1)));

        Assert.NotEqual(trained.ExtraFeedback, relabeled.ExtraFeedback);
        Assert.Equal(trained with { ExtraFeedback = 0 }, relabeled with { ExtraFeedback = 0 });
        Assert.Contains("other extra feedback (likes)", trained.Difference(relabeled));
    }

    [Fact]
    public void Unlabeled_rows_moved_to_other_items_change_the_unlabeled_hash_alone()
    {
        var (trained, moved) = (Of(Rated()), Of(Rated(unlabeledMoved: true)));

        Assert.NotEqual(trained.Unlabeled, moved.Unlabeled);
        Assert.Equal(trained with { Unlabeled = 0 }, moved with { Unlabeled = 0 });
        Assert.Contains("other unlabeled rows", trained.Difference(moved));
    }

    [Fact]
    public void Other_likes_of_the_test_rows_alone_change_the_extra_feedback_hash()
    {
        // D* is read of every split, not training's alone: colliding inference counts its sparse users from the test's likes too.
        static DataFingerprint Tagged(Func<int, int, bool>? liked = null)
        {
            // Split by its tags: each user's last two rows are test rows.
            var log = Rated(liked);
            log.Split = [.. Enumerable.Range(0, log.Count).Select(r => (r % 12) switch { < 8 => SplitTag.Train, < 10 => SplitTag.Valid, _ => SplitTag.Test })];
            return DataFingerprint.Of(PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Rating), new SplitOptions(Seed: 1), FeedbackOptions.Default));
        }
        var (trained, relabeled) = (Tagged(), Tagged(liked: (_, k) => k < 10 ? k % 2 == 0 : k % 2 == 1));

        Assert.NotEqual(trained.ExtraFeedback, relabeled.ExtraFeedback);
        Assert.Equal(trained with { ExtraFeedback = 0 }, relabeled with { ExtraFeedback = 0 });
    }

    [Fact]
    public void Unlabeled_rows_moved_to_items_their_users_rated_change_the_unlabeled_hash()
    {
        // Every pair the log holds stays in it (the seen index is the same): only the unlabeled impressions, which
        // --unlabeled-source impressions|both draws from, moved to other items.
        static DataFingerprint With(int unlabeledItem)
        {
            var log = new InteractionLog(6) { Rating = new NullableColumn<float>(6) };
            (long User, long Item, float Rating)[] rows = [(1, 10, 5), (1, 20, 1), (2, 10, 5), (2, 20, 1), (1, unlabeledItem, 2.5f), (2, unlabeledItem, 2.5f)];
            for (var r = 0; r < rows.Length; r++)
            {
                (log.UserId[r], log.ItemId[r]) = (rows[r].User, rows[r].Item);
                log.Rating.Set(r, rows[r].Rating);
            }
            return DataFingerprint.Of(PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Rating), new SplitOptions(Seed: 1, TrainShare: 1, ValidShare: 0, ByHash: true),
                FeedbackOptions.Default));
        }

        var (trained, moved) = (With(10), With(20));

        Assert.NotEqual(trained.Unlabeled, moved.Unlabeled);
        Assert.Contains("other unlabeled rows", trained.Difference(moved));
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
