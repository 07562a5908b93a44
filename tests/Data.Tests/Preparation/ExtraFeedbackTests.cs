namespace InverseLearning.Data.Tests.Preparation;

public class ExtraFeedbackTests
{
    private static readonly LabelingOptions ByRating = new(LabelRule.Rating);

    /// <summary>A rating log with a like on every third row; the row number is the item, so rows are identifiable.</summary>
    private static InteractionLog LikedRatings(int rows = 6000)
    {
        var log = SampleLogs.RandomRatings(rows, 200, 300, seed: 7);
        log.Like = new NullableColumn<bool>(rows);
        for (var r = 0; r < rows; r++)
        {
            log.ItemId[r] = r;
            log.Like.Set(r, r % 3 == 0 ? true : r % 3 == 1 ? false : null);
        }
        return log;
    }

    private static HashSet<(int, int)> Pairs(LabeledSet set) =>
        Enumerable.Range(0, set.Count).Select(r => (set.Users[r], set.Items[r])).ToHashSet();

    [Fact]
    public void Extra_positives_fall_in_the_split_of_their_row()
    {
        var log = LikedRatings();

        var data = PreparedDataset.Prepare(log, ByRating, new SplitOptions(Seed: 4));

        var extra = data.Extra;
        Assert.True(extra.Available);
        Assert.Equal("like", extra.Rule);
        foreach (var (set, all) in new[] { (extra.Train, data.Train), (extra.Valid, data.Valid), (extra.Test, data.Test) })
        {
            var liked = Enumerable.Range(0, all.Count).Where(r => (int)data.Items.RawIds[all.Items[r]] % 3 == 0).Select(r => (all.Users[r], all.Items[r])).ToHashSet();
            Assert.Equal(liked, Pairs(set));
            Assert.All(set.Labels, label => Assert.Equal(1f, label));
        }
        Assert.Equal(0, extra.OutsideSplits); // ratings label every row
    }

    [Fact]
    public void Marked_rows_the_label_rule_left_unlabeled_are_counted_outside_the_splits()
    {
        var log = LikedRatings(30);
        for (var r = 0; r < 30; r++) log.Rating!.Set(r, r < 9 ? null : 5); // rows 0, 3, 6 are liked and unlabeled

        var data = PreparedDataset.Prepare(log, ByRating, new SplitOptions());

        Assert.Equal(3, data.Extra.OutsideSplits);
        Assert.Equal(10 - 3, data.Extra.Train.Count + data.Extra.Valid.Count + data.Extra.Test.Count);
    }

    [Fact]
    public void The_same_seed_splits_the_extra_set_the_same_way()
    {
        var a = PreparedDataset.Prepare(LikedRatings(), ByRating, new SplitOptions(Seed: 9));
        var b = PreparedDataset.Prepare(LikedRatings(), ByRating, new SplitOptions(Seed: 9));
        var c = PreparedDataset.Prepare(LikedRatings(), ByRating, new SplitOptions(Seed: 10));

        Assert.Equal(a.Extra.Train.Items, b.Extra.Train.Items);
        Assert.Equal(a.Extra.Test.Items, b.Extra.Test.Items);
        Assert.NotEqual(a.Extra.Train.Items, c.Extra.Train.Items);
    }

    [Fact]
    public void Rating_rule_marks_ratings_at_least_n()
    {
        var log = LikedRatings();
        var data = PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Implicit), new SplitOptions(),
            new FeedbackOptions(FeedbackRule.Parse("rating:5", "--extra-feedback")));

        var fives = Enumerable.Range(0, log.Count).Count(r => log.Rating!.Values[r] >= 5);
        Assert.Equal(fives, data.Extra.Train.Count + data.Extra.Valid.Count + data.Extra.Test.Count);
        Assert.Equal(log.Count, data.Train.Count + data.Valid.Count + data.Test.Count); // implicit: every row labeled
        Assert.Equal(log.Count, data.Train.PositiveCount + data.Valid.PositiveCount + data.Test.PositiveCount);
    }

    [Fact]
    public void Test_positives_are_the_test_rows_the_rule_marks()
    {
        var log = LikedRatings();
        var data = PreparedDataset.Prepare(log, ByRating, new SplitOptions(), new FeedbackOptions(FeedbackRule.Like, FeedbackRule.Parse("rating:4", "--test-positives")));

        var expected = Enumerable.Range(0, data.Test.Count)
            .Where(r => log.Rating!.Values[(int)data.Items.RawIds[data.Test.Items[r]]] >= 4)
            .Select(r => (data.Test.Users[r], data.Test.Items[r])).ToHashSet();
        Assert.Equal("rating:4", data.Extra.TestPositivesRule);
        Assert.Equal(expected, Pairs(data.Extra.TestPositives!));
        Assert.NotEmpty(expected);
    }

    [Fact]
    public void A_test_positive_rule_without_its_column_is_an_error()
    {
        var log = SampleLogs.RandomRatings(100, 5, 5, seed: 1);

        var error = Assert.Throws<DataException>(() =>
            PreparedDataset.Prepare(log, ByRating, new SplitOptions(), new FeedbackOptions(FeedbackRule.Like, FeedbackRule.Like)));

        Assert.Contains("--test-positives like", error.Message);
    }

    [Fact]
    public void A_log_without_extra_feedback_fails_only_when_a_strategy_requires_it()
    {
        var data = PreparedDataset.Prepare(SampleLogs.RandomRatings(100, 5, 5, seed: 1), ByRating, new SplitOptions());

        Assert.False(data.Extra.Available);
        var error = Assert.Throws<DataException>(() => data.Extra.RequireTrain("--warmup-epochs"));
        Assert.Contains("--warmup-epochs needs extra feedback", error.Message);
        Assert.Contains("no 'like' column", error.Message);
    }

    [Fact]
    public void A_log_whose_extra_column_marks_no_training_row_fails_when_required()
    {
        var log = LikedRatings(60);
        for (var r = 0; r < 60; r++) log.Like!.Set(r, false);
        var data = PreparedDataset.Prepare(log, ByRating, new SplitOptions());

        var error = Assert.Throws<DataException>(() => data.Extra.RequireTrain("--finetune-epochs"));
        Assert.Contains("no training row is marked", error.Message);
        data = PreparedDataset.Prepare(LikedRatings(60), ByRating, new SplitOptions());
        data.Extra.RequireTrain("--finetune-epochs");
    }

    [Fact]
    public void Ratio_per_user_is_extra_over_implicit_training_positives()
    {
        // User 1: 4 positives, 1 liked; user 2: 2 positives, both liked; user 3: only a negative.
        var log = new InteractionLog(7)
        {
            Rating = new NullableColumn<float>([5, 5, 5, 5, 4, 4, 1], [true, true, true, true, true, true, true]),
            Like = new NullableColumn<bool>([true, false, false, false, true, true, false], [true, true, true, true, true, true, true]),
            Split = [SplitTag.Train, SplitTag.Train, SplitTag.Train, SplitTag.Train, SplitTag.Train, SplitTag.Train, SplitTag.Train],
        };
        long[] users = [1, 1, 1, 1, 2, 2, 3];
        users.CopyTo(log.UserId, 0);
        for (var r = 0; r < 7; r++) log.ItemId[r] = r;

        var data = PreparedDataset.Prepare(log, ByRating, new SplitOptions(TrainTestShare: 0));
        var ratio = data.Extra.TrainRatioPerUser(data);

        Assert.Equal(0.25, ratio[data.Users.IndexOf(1)]);
        Assert.Equal(1.0, ratio[data.Users.IndexOf(2)]);
        Assert.True(double.IsNaN(ratio[data.Users.IndexOf(3)]));
        Assert.Equal(new[] { 0, 1, 2, 0 }, ExtraFeedback.CountPerUser(data.Extra.Train, data.Users.Count));
    }
}
