using static InverseLearning.Data.Tests.ParquetFixture;

namespace InverseLearning.Data.Tests.Lake;

/// <summary>
/// The streamed read into a compact log (row group by row group, never the raw log), checked
/// against hand-computed encodings, labels and marks, and against the bad-row behaviour of the
/// whole-log read: same errors, same skipped rows, numbered in file order across groups and parts.
/// </summary>
public class CompactReadTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly LabelingOptions ByRating = new(LabelRule.Rating);

    [Fact]
    public void IdsAreEncodedByAscendingRawIdAcrossRowGroupsAndParts()
    {
        // Part a: row groups of 2; ids appear out of order and repeat across groups and parts.
        Write(_folder.At("a.parquet"), 2,
            Int64("user_id", 30, 10, 30, 20),
            Int64("item_id", 7, 5, 9, 5),
            NullableFloat("rating", 5, 1, 4, null));
        Write(_folder.At("b.parquet"),
            Int64("user_id", 10, 40),
            Int64("item_id", 9, 6),
            NullableFloat("rating", 3, 2));

        var log = LogDataset.Open(_folder.Path).ReadCompact(new ReadOptions(), ByRating, FeedbackOptions.Default);

        // users 10, 20, 30, 40 → 1..4; items 5, 6, 7, 9 → 1..4
        Assert.Equal([0L, 10, 20, 30, 40], log.Users.RawIds.ToArray());
        Assert.Equal([0L, 5, 6, 7, 9], log.Items.RawIds.ToArray());
        Assert.Equal([3, 1, 3, 2, 1, 4], log.UserIndices);
        Assert.Equal([3, 1, 4, 1, 4, 2], log.ItemIndices);
        // rating ≥ 3 positive, ≤ 2 negative, null unlabeled
        Assert.Equal(new sbyte[] { 1, 0, 1, -1, 1, 0 }, log.Labels);
        Assert.Null(log.ExtraMarks);
        Assert.Null(log.Split);
    }

    [Fact]
    public void PlayTimeQuartilesAreTakenOverEveryRowNotPerRowGroup()
    {
        // Play times 1..8 in row groups of 3: quartiles over all rows are 2.75 and 6.25 (type 7),
        // so 1 and 2 are negative, 7 and 8 positive; per group they would differ.
        Write(_folder.At("log.parquet"), 3,
            Int64("user_id", 1, 1, 1, 1, 2, 2, 2, 2),
            Int64("item_id", 1, 2, 3, 4, 5, 6, 7, 8),
            NullableInt64("play_time_ms", 1, 2, 3, 4, 5, 6, 7, 8));

        var log = LogDataset.Open(_folder.At("log.parquet")).ReadCompact(new ReadOptions(), new LabelingOptions(LabelRule.PlayTime), FeedbackOptions.Default);

        Assert.Equal(new sbyte[] { 0, 0, -1, -1, -1, -1, 1, 1 }, log.Labels);
    }

    [Fact]
    public void ExtraTestAndValidationPositiveMarksFollowTheirRules()
    {
        Write(_folder.At("log.parquet"), 2,
            Int64("user_id", 1, 2, 3, 4),
            Int64("item_id", 1, 1, 1, 1),
            NullableFloat("rating", 5, 4, 1, 5),
            NullableBool("like", true, null, true, false));

        var log = LogDataset.Open(_folder.At("log.parquet")).ReadCompact(new ReadOptions(), ByRating,
            new FeedbackOptions(FeedbackRule.Like, FeedbackRule.Parse("rating:5", "--test-positives"), ValidPositives: FeedbackRule.Parse("rating:4", "--valid-positives")));

        Assert.Equal([true, false, true, false], log.ExtraMarks!);
        Assert.Equal([true, false, false, true], log.TestPositiveMarks!);
        Assert.Equal([true, true, false, true], log.ValidPositiveMarks!);
    }

    [Fact]
    public void TestPositivesOnAMissingColumnAreRefusedLikeTheWholeLogRead()
    {
        LakeFiles.Part(_folder.At("log.parquet"), 1, 3);
        var feedback = new FeedbackOptions(FeedbackRule.Like, FeedbackRule.Like);

        var dataset = LogDataset.Open(_folder.At("log.parquet"));

        var error = Assert.Throws<DataException>(() => dataset.ReadCompact(new ReadOptions(), ByRating, feedback));
        var streamed = Assert.Throws<DataException>(() => PreparedDataset.Hold(new LakeSource(dataset, new ReadOptions(), ByRating, new SplitOptions(ByHash: true)), feedback, out _));

        Assert.Equal($"{_folder.At("log.parquet")}: --test-positives like: the log has no 'like' column", error.Message);
        Assert.Equal(error.Message, streamed.Message);
    }

    [Fact]
    public void SplitPartitionDirectoriesGiveEachRowItsSplit()
    {
        LakeFiles.Part(_folder.At("split=train", "part-0.parquet"), 1, 2);
        LakeFiles.Part(_folder.At("split=test", "part-0.parquet"), 10, 1);

        var log = LogDataset.Open(_folder.Path).ReadCompact(new ReadOptions(), ByRating, FeedbackOptions.Default);

        // Parts in ordinal path order: split=test before split=train.
        Assert.Equal([SplitTag.Test, SplitTag.Train, SplitTag.Train], log.Split!);
    }

    [Fact]
    public void SkippedRowsAreNumberedInReadOrderAcrossGroupsAndParts()
    {
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        //                       row in b:  1     2     3     4     5
        Write(_folder.At("b.parquet"), 2,
            NullableInt64("user_id", 10, null, 12, 13, null),
            Int64("item_id", 1, 2, 3, 4, 5),
            NullableFloat("rating", 4, 4, 9, 4, 4));

        var log = LogDataset.Open(_folder.Path).ReadCompact(new ReadOptions(BadRowPolicy.Skip), ByRating, FeedbackOptions.Default);

        Assert.Equal([0L, 1, 2, 3, 10, 13], log.Users.RawIds.ToArray());
        Assert.Equal([1, 2, 3, 4, 5], log.UserIndices);
        Assert.Equal(3, log.SkippedRows.Total);
        // Rows of the whole read, counted from 1: a has 3, so b's rows 2 and 5 are 5 and 8, its row 3 is 6.
        Assert.Equal([5L, 8L], log.SkippedRows.FirstRows(BadRowReason.NullUserId));
        Assert.Equal([6L], log.SkippedRows.FirstRows(BadRowReason.RatingOutOfRange));
    }

    [Fact]
    public void ABadRowFailsWithTheSameMessageAsTheWholeLogRead()
    {
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        Write(_folder.At("b.parquet"), 2,
            Int64("user_id", 10, 11, 12, 13),
            Int64("item_id", 1, 2, 3, 4),
            NullableFloat("rating", 4, 4, 4, 0));
        var dataset = LogDataset.Open(_folder.Path);

        var streamed = Assert.Throws<DataException>(() => dataset.ReadCompact(new ReadOptions(), ByRating, FeedbackOptions.Default));
        var whole = Assert.Throws<DataException>(() => dataset.Read());

        Assert.Equal(whole.Message, streamed.Message);
        Assert.Contains("b.parquet: column 'rating', row 4", streamed.Message);
    }

    [Fact]
    public void PreparingTheStreamedLogGivesTheDatasetOfTheWholeLog()
    {
        var full = SampleLogs.RandomRatings(rows: 5000, users: 80, items: 300, seed: 3);
        full.Like = new NullableColumn<bool>(full.Count);
        for (var r = 0; r < full.Count; r++) full.Like.Set(r, r % 7 == 0 ? true : r % 11 == 0 ? null : false);
        InteractionLogParquet.Write(full, _folder.At("log.parquet"));
        var split = new SplitOptions(Seed: 5);

        var streamed = PreparedDataset.Prepare(LogDataset.Open(_folder.At("log.parquet")).ReadCompact(new ReadOptions(), ByRating, FeedbackOptions.Default), split);
        var whole = PreparedDataset.Prepare(InteractionLogParquet.Read(_folder.At("log.parquet")), ByRating, split);

        Assert.Equal(whole.Users.RawIds.ToArray(), streamed.Users.RawIds.ToArray());
        Assert.Equal(whole.Items.RawIds.ToArray(), streamed.Items.RawIds.ToArray());
        foreach (var (a, b) in new[] { (whole.TrainTrain, streamed.TrainTrain), (whole.TrainTest, streamed.TrainTest), (whole.Valid, streamed.Valid), (whole.Test, streamed.Test), (whole.Extra.Train, streamed.Extra.Train) })
        {
            Assert.Equal(a.Users, b.Users);
            Assert.Equal(a.Items, b.Items);
            Assert.Equal(a.Labels, b.Labels);
        }
        Assert.Equal(whole.Seen.Items.ToArray(), streamed.Seen.Items.ToArray());
        Assert.Equal(whole.UnlabeledRowCount, streamed.UnlabeledRowCount);
    }
}
