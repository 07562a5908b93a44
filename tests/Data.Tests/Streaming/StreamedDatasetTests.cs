namespace InverseLearning.Data.Tests.Streaming;

/// <summary>
/// The first pass of a streamed read builds what a whole read builds, without the training rows:
/// the same vocabularies, held-out rows (in the same order), seen and middle-band indices,
/// extra-feedback sets and training counts, split by the same hash.
/// </summary>
public class StreamedDatasetTests(StreamedLake lake) : IClassFixture<StreamedLake>
{
    [Fact]
    public void The_first_pass_builds_what_the_whole_read_builds()
    {
        var streamed = lake.Stream();
        var whole = lake.InMemory();

        Assert.True(lake.Whole.Count > 10_000 && LogDataset.Open(lake.Directory).Parts.Count > 5, "the lake should have many parts");
        Assert.Equal(whole.Users.RawIds.ToArray(), streamed.Users.RawIds.ToArray());
        Assert.Equal(whole.Items.RawIds.ToArray(), streamed.Items.RawIds.ToArray());
        AssertSameRowsByUser(whole.Valid, streamed.Valid);
        AssertSameRowsByUser(whole.Test, streamed.Test);
        AssertSameIndex(whole.Seen, streamed.Seen);
        AssertSameIndex(whole.MiddleBand, streamed.MiddleBand);
        Assert.Equal(whole.UnlabeledRowCount, streamed.UnlabeledRowCount);
        Assert.True(whole.MiddleBand.PairCount > 0);
        AssertSameRows(whole.Extra.Train, streamed.Extra.Train);
        AssertSameRows(whole.Extra.Valid, streamed.Extra.Valid);
        AssertSameRows(whole.Extra.Test, streamed.Extra.Test);
        Assert.True(whole.Extra.Train.Count > 0);
        Assert.Equal(whole.Extra.OutsideSplits, streamed.Extra.OutsideSplits);
        Assert.Equal(whole.Train.Count, streamed.TrainRows.Count);
        Assert.Equal(whole.TrainTrain.Count, streamed.TrainTrainRows.Count);
        Assert.Equal(whole.TrainTest.Count, streamed.TrainTestRows.Count);
        Assert.Equal(whole.Train.PositiveCount, streamed.TrainRows.PositiveCount);
        Assert.Equal(whole.TrainTest.PositiveCount, streamed.TrainTestRows.PositiveCount);
        Assert.Equal(whole.TrainPositivesPerUser(), streamed.TrainPositivesPerUser());
        Assert.Equal(whole.TrainRowsPerUser(), streamed.TrainRowsPerUser());
    }

    [Fact]
    public void A_streamed_dataset_does_not_hold_its_training_rows()
    {
        var streamed = lake.Stream();
        Assert.NotNull(streamed.Streamed);
        Assert.Throws<InvalidOperationException>(() => streamed.Train);
        // It counts its shuffle buffer (12 bytes a row, no more rows than it has to shuffle), not its training rows.
        Assert.Equal(12L * 990, lake.Stream(shuffleBuffer: 1_000).ResidentBytes - lake.Stream(shuffleBuffer: 10).ResidentBytes);
        Assert.Equal(lake.Stream(shuffleBuffer: streamed.TrainRows.Count).ResidentBytes, lake.Stream(shuffleBuffer: 1 << 24).ResidentBytes);
    }

    [Fact]
    public void A_grouped_sets_user_column_counts_once_something_builds_it()
    {
        var streamed = lake.Stream();
        var before = streamed.ResidentBytes;
        Assert.False(streamed.Valid.HoldsUserColumn);
        _ = streamed.Valid.Users;
        Assert.Equal(4L * streamed.Valid.Count, streamed.ResidentBytes - before);
        Assert.True(streamed.Valid.Count > 100);
    }

    [Fact]
    public void Test_and_validation_positives_by_rule_are_marked_as_in_the_whole_read()
    {
        var feedback = new FeedbackOptions(FeedbackRule.Like, FeedbackRule.Like, ValidPositives: FeedbackRule.Like);
        var streamed = lake.Stream(feedback: feedback);
        var whole = lake.InMemory(feedback: feedback);
        AssertSameRows(whole.Extra.TestPositives!, streamed.Extra.TestPositives!);
        AssertSameRows(whole.Extra.ValidPositives!, streamed.Extra.ValidPositives!);
        Assert.True(streamed.Extra.TestPositives!.Count > 0);
    }

    [Fact]
    public void Without_the_middle_band_the_pass_leaves_it_empty()
    {
        Assert.Equal(0, lake.Stream(middleBand: false).MiddleBand.PairCount);
    }

    [Fact]
    public void The_positives_and_pairs_passes_match_the_held_training_rows()
    {
        var streamed = lake.Stream();
        var whole = lake.InMemory();
        var positives = streamed.Streamed!.All.Positives();
        var expected = Enumerable.Range(0, whole.Train.Count).Where(r => whole.Train.Labels[r] > 0.5f).Select(r => (whole.Train.Users[r], whole.Train.Items[r]));
        Assert.Equal(expected, Enumerable.Range(0, positives.Count).Select(r => (positives.Users[r], positives.Items[r])));
        Assert.All(positives.Labels, label => Assert.Equal(1f, label));

        var history = streamed.Streamed.All.Pairs(streamed.Valid);
        var users = whole.Train.Users.Concat(whole.Valid.Users).ToArray();
        var items = whole.Train.Items.Concat(whole.Valid.Items).ToArray();
        AssertSameIndex(InteractionIndex.Build(users, items, whole.Users.Count), history);
    }

    [Fact]
    public void Play_time_labels_and_column_rules_are_refused_with_the_reason()
    {
        var playTime = new LakeSource(LogDataset.Open(lake.Directory), new ReadOptions(), new LabelingOptions(LabelRule.PlayTime), StreamedLake.Split());
        var e = Assert.Throws<DataException>(() => PreparedDataset.Stream(playTime, FeedbackOptions.Default, false, 10));
        Assert.Contains("play-time", e.Message);
        Assert.Contains("quartiles", e.Message);
        var column = new FeedbackOptions(FeedbackRule.Parse("column:bought", "--extra-feedback"));
        var c = Assert.Throws<DataException>(() => lake.Stream(feedback: column));
        Assert.Contains("column:NAME", c.Message);
    }

    /// <summary>
    /// <paramref name="actual"/> holds <paramref name="expected"/>'s rows grouped by user, with no user
    /// column (its users read by runs), each user's rows in the order they had.
    /// </summary>
    private static void AssertSameRowsByUser(LabeledSet expected, LabeledSet actual)
    {
        Assert.NotNull(actual.UserOffsets);
        var byUser = Enumerable.Range(0, expected.Count).OrderBy(r => expected.Users[r]).ToArray();   // OrderBy is stable
        var rows = actual.UserRuns().SelectMany(run => Enumerable.Range(run.Start, run.Count).Select(r => (run.User, actual.Items[r], actual.Labels[r])));
        Assert.Equal(byUser.Select(r => (expected.Users[r], expected.Items[r], expected.Labels[r])), rows);
        Assert.True(expected.Count > 100);
    }

    internal static void AssertSameRows(LabeledSet expected, LabeledSet actual)
    {
        Assert.Equal(expected.Users.AsSpan(0, expected.Count).ToArray(), actual.Users.AsSpan(0, actual.Count).ToArray());
        Assert.Equal(expected.Items.AsSpan(0, expected.Count).ToArray(), actual.Items.AsSpan(0, actual.Count).ToArray());
        Assert.Equal(expected.Labels.ToArray(), actual.Labels.ToArray());
    }

    internal static void AssertSameIndex(InteractionIndex expected, InteractionIndex actual)
    {
        Assert.Equal(expected.UserCount, actual.UserCount);
        Assert.Equal(expected.PairCount, actual.PairCount);
        for (var u = 0; u < expected.UserCount; u++) Assert.Equal(expected.ItemsOf(u).ToArray(), actual.ItemsOf(u).ToArray());
    }
}
