using InverseLearning.Data.Tests.Lake;
using static InverseLearning.Data.Tests.ParquetFixture;

namespace InverseLearning.Data.Tests.Streaming;

/// <summary>
/// A held run reads its log by two passes (<see cref="PreparedDataset.Hold"/>) instead of reading
/// every column and then moving them into the splits: the dataset must be the one the whole read
/// gives, row for row and bit for bit, whatever the split (random, by hash, by time from
/// partitions or timestamps), the feedback rules and the bad rows skipped.
/// </summary>
public class HeldScanTests(StreamedLake lake) : IClassFixture<StreamedLake>, IDisposable
{
    private static readonly FeedbackOptions AllRules = new(FeedbackRule.Like, FeedbackRule.Like, ValidPositives: FeedbackRule.Like);
    private static readonly TimeSplit ByTime = new(ValidDays: 2, TestDays: 3);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static PreparedDataset Scanned(string path, SplitOptions split, TimeSplit? byTime = null, ReadOptions? read = null, LabelingOptions? labels = null) =>
        PreparedDataset.Hold(new LakeSource(LogDataset.Open(path), read ?? new ReadOptions(), labels ?? StreamedLake.Labels, split, byTime), AllRules, out _);

    /// <summary>The path the CLI took before: the compact log of every row, then split (by time: the whole log, tagged by day).</summary>
    private static PreparedDataset Whole(string path, SplitOptions split, TimeSplit? byTime = null, ReadOptions? read = null, LabelingOptions? labels = null)
    {
        var dataset = LogDataset.Open(path);
        if (byTime is null) return PreparedDataset.Prepare(dataset.ReadCompact(read ?? new ReadOptions(), labels ?? StreamedLake.Labels, AllRules), split);
        var whole = dataset.Read(read ?? new ReadOptions());
        return PreparedDataset.Prepare(whole.Log, labels ?? StreamedLake.Labels, split, AllRules, RowDays.Of(whole, path), byTime, path);
    }

    private static void AssertSameDataset(PreparedDataset expected, PreparedDataset actual)
    {
        Assert.Equal(expected.Users.RawIds.ToArray(), actual.Users.RawIds.ToArray());
        Assert.Equal(expected.Items.RawIds.ToArray(), actual.Items.RawIds.ToArray());
        foreach (var (whole, scanned) in new[] { (expected.TrainTrain, actual.TrainTrain), (expected.TrainTest, actual.TrainTest), (expected.Valid, actual.Valid), (expected.Test, actual.Test),
                     (expected.Extra.Train, actual.Extra.Train), (expected.Extra.Valid, actual.Extra.Valid), (expected.Extra.Test, actual.Extra.Test),
                     (expected.Extra.TestPositives!, actual.Extra.TestPositives!), (expected.Extra.ValidPositives!, actual.Extra.ValidPositives!) })
            StreamedDatasetTests.AssertSameRows(whole, scanned);
        Assert.Equal((expected.TrainTrain.Count, expected.TrainTest.Count), (actual.TrainTrainCount, actual.TrainTestCount));
        StreamedDatasetTests.AssertSameRows(expected.Train, actual.Train);
        Assert.Null(actual.Streamed);
        Assert.Equal(expected.UnlabeledRowCount, actual.UnlabeledRowCount);
        Assert.Equal(expected.Extra.OutsideSplits, actual.Extra.OutsideSplits);
        Assert.Equal(expected.Extra.Available, actual.Extra.Available);
        StreamedDatasetTests.AssertSameIndex(expected.Seen, actual.Seen);
        StreamedDatasetTests.AssertSameIndex(expected.MiddleBand, actual.MiddleBand);
        Assert.Equal(expected.TimeSplitReport, actual.TimeSplitReport);
        // Not trivially equal: every part has rows, the middle band included.
        Assert.True(actual.TrainTest.Count > 0 && actual.Valid.Count > 0 && actual.Test.Count > 0 && actual.Extra.Train.Count > 0 && actual.MiddleBand.PairCount > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Split_randomly_or_by_hash_a_held_read_by_two_passes_is_the_whole_reads_dataset(bool byHash)
    {
        var split = new SplitOptions(Seed: 13, ByHash: byHash);
        var whole = Whole(lake.Directory, split);
        AssertSameDataset(whole, Scanned(lake.Directory, split));
        if (!byHash) Assert.Equal(((long)Math.Round(whole.Train.Count * 0.1)), whole.TrainTest.Count);   // exact sizes: the draw, not a hash
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Split_by_time_a_held_read_by_two_passes_is_the_whole_reads_dataset(bool fromTimestamps)
    {
        var path = lake.Directory;
        if (fromTimestamps)
        {
            path = _folder.File("interactions.parquet");
            InteractionLogParquet.Write(lake.Whole, path);
        }
        var split = new SplitOptions(Seed: 5);
        var scanned = Scanned(path, split, ByTime);
        AssertSameDataset(Whole(path, split, ByTime), scanned);
        Assert.True(scanned.TimeSplitReport!.Test.ColdRows > 0);
    }

    [Fact]
    public void Training_train_and_test_are_counted_without_building_them_apart()
    {
        var scanned = Scanned(lake.Directory, new SplitOptions(Seed: 3));
        var (trainTrain, trainTest) = (scanned.TrainTrainCount, scanned.TrainTestCount);
        Assert.False(scanned.HoldsTrainPartsApart);
        Assert.Equal((scanned.TrainTrain.Count, scanned.TrainTest.Count), (trainTrain, trainTest));
        Assert.True(scanned.HoldsTrainPartsApart);
        Assert.Equal((long)Math.Round(scanned.Train.Count * 0.1), trainTest);
    }

    [Fact]
    public void Other_seeds_give_other_random_splits()
    {
        var (a, b) = (Scanned(lake.Directory, new SplitOptions(Seed: 1)), Scanned(lake.Directory, new SplitOptions(Seed: 2)));
        Assert.Equal(a.Valid.Count, b.Valid.Count);
        Assert.NotEqual(a.Valid.Items, b.Valid.Items);
        Assert.NotEqual(Enumerable.Range(0, a.Train.Count).Select(a.IsTrainTest), Enumerable.Range(0, b.Train.Count).Select(b.IsTrainTest));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rows_skipped_as_bad_are_the_whole_reads_and_reported(bool byHash)
    {
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        Write(_folder.At("b.parquet"), 2,
            NullableInt64("user_id", 10, null, 12, 13, null, 15, 16, 10, 12, 13),
            Int64("item_id", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
            NullableFloat("rating", 4, 4, 9, 1, 4, 5, 2, 1, 5, 3));
        var (labels, read, split) = (new LabelingOptions(LabelRule.Rating), new ReadOptions(BadRowPolicy.Skip), new SplitOptions(Seed: 3, TrainShare: 0.5, ValidShare: 0.25, TrainTestShare: 0.3, ByHash: byHash));
        var scanned = PreparedDataset.Hold(new LakeSource(LogDataset.Open(_folder.Path), read, labels, split), FeedbackOptions.Default, out var skipped);
        var whole = PreparedDataset.Prepare(LogDataset.Open(_folder.Path).ReadCompact(read, labels, FeedbackOptions.Default), split);

        Assert.Equal(3, skipped.Total);
        Assert.Equal([5L, 8L], skipped.FirstRows(BadRowReason.NullUserId));
        Assert.Equal(whole.Users.RawIds.ToArray(), scanned.Users.RawIds.ToArray());
        foreach (var (expected, actual) in new[] { (whole.TrainTrain, scanned.TrainTrain), (whole.TrainTest, scanned.TrainTest), (whole.Valid, scanned.Valid), (whole.Test, scanned.Test) })
            StreamedDatasetTests.AssertSameRows(expected, actual);
        StreamedDatasetTests.AssertSameIndex(whole.Seen, scanned.Seen);
        Assert.Equal(whole.UnlabeledRowCount, scanned.UnlabeledRowCount);
        Assert.Equal(3 + 7, scanned.Train.Count + scanned.Valid.Count + scanned.Test.Count + scanned.UnlabeledRowCount);
    }

    [Fact]
    public void Split_randomly_a_pairs_repeated_rows_stay_in_one_part_and_the_held_read_agrees()
    {
        // Every (user, item) pair once to three times, shuffled, over several row groups: drawn row by row, a pair's copies would
        // land in training and in test alike, and test would measure recall of the pair.
        var random = new Random(7);
        var rows = (from user in Enumerable.Range(1, 30) from item in Enumerable.Range(1, 12) from copy in Enumerable.Range(0, 1 + (user * item) % 3)
                    select (User: (long)user, Item: (long)item)).OrderBy(_ => random.Next()).ToArray();
        Directory.CreateDirectory(_folder.At("repeats"));
        Write(_folder.At("repeats", "a.parquet"), 97, Int64("user_id", [.. rows.Select(r => r.User)]), Int64("item_id", [.. rows.Select(r => r.Item)]),
            NullableFloat("rating", [.. rows.Select(r => (float?)(1 + (r.User + r.Item) % 5))]));
        var (labels, split, path) = (new LabelingOptions(LabelRule.Rating), new SplitOptions(Seed: 11, TrainTestShare: 0.3), _folder.At("repeats"));
        var whole = PreparedDataset.Prepare(LogDataset.Open(path).ReadCompact(new ReadOptions(), labels, FeedbackOptions.Default), split);
        var scanned = PreparedDataset.Hold(new LakeSource(LogDataset.Open(path), new ReadOptions(), labels, split), FeedbackOptions.Default, out _);

        foreach (var (expected, actual) in new[] { (whole.TrainTrain, scanned.TrainTrain), (whole.TrainTest, scanned.TrainTest), (whole.Valid, scanned.Valid), (whole.Test, scanned.Test) })
            StreamedDatasetTests.AssertSameRows(expected, actual);
        var parts = new[] { whole.TrainTrain, whole.TrainTest, whole.Valid, whole.Test };
        var partsOfPair = parts.SelectMany((set, part) => Enumerable.Range(0, set.Count).Select(r => (Pair: (set.Users[r], set.Items[r]), Part: part)))
            .GroupBy(row => row.Pair, row => row.Part).ToArray();
        Assert.All(partsOfPair, pair => Assert.Single(pair.Distinct()));
        Assert.Contains(partsOfPair, pair => pair.Count() > 1);
        Assert.All(parts, set => Assert.True(set.Count > 0));
    }

    [Fact]
    public void Split_by_time_a_pairs_training_rows_stay_on_one_side_of_training_test_in_every_read()
    {
        // Every (user, item) pair once to three times on ten days, shuffled, over several row groups: the days' parts are kept (a
        // pair's rows span them), but training-test drawn row by row put a pair's copies on both of its sides.
        const long jan1 = 1_704_067_200_000, day = 86_400_000;
        var random = new Random(7);
        var rows = (from user in Enumerable.Range(1, 30) from item in Enumerable.Range(1, 12) from copy in Enumerable.Range(0, 1 + (user * item) % 3)
                    select (User: (long)user, Item: (long)item, At: jan1 + random.NextInt64(10 * day))).OrderBy(_ => random.Next()).ToArray();
        var path = _folder.At("repeats.parquet");
        Write(path, 97, Int64("user_id", [.. rows.Select(r => r.User)]), Int64("item_id", [.. rows.Select(r => r.Item)]),
            NullableFloat("rating", [.. rows.Select(r => (float?)(1 + (r.User + r.Item) % 5))]), Int64("timestamp", [.. rows.Select(r => r.At)]),
            NullableBool("like", [.. rows.Select(r => (bool?)(r.User % 2 == 0))]));
        var (labels, split) = (new LabelingOptions(LabelRule.Rating), new SplitOptions(Seed: 11, TrainTestShare: 0.3));
        var whole = Whole(path, split, ByTime, labels: labels);
        var scanned = Scanned(path, split, ByTime, labels: labels);
        var streamed = PreparedDataset.Stream(new LakeSource(LogDataset.Open(path), new ReadOptions(), labels, split, ByTime), FeedbackOptions.Default, middleBand: false, shuffleBuffer: 100);

        foreach (var (expected, actual) in new[] { (whole.TrainTrain, scanned.TrainTrain), (whole.TrainTest, scanned.TrainTest), (whole.Valid, scanned.Valid), (whole.Test, scanned.Test) })
            StreamedDatasetTests.AssertSameRows(expected, actual);
        static IEnumerable<(int, int)> Pairs(LabeledSet set) => Enumerable.Range(0, set.Count).Select(r => (set.Users[r], set.Items[r]));
        static IEnumerable<(int, int)> StreamedPairs(ITrainingRows set) =>
            set.Batches(batchSize: 50, ng: 0, sampler: null, seed: 1).Epoch(1).SelectMany(batch => Enumerable.Range(0, batch.LabeledCount).Select(r => (batch.Users[r], batch.Items[r])).ToList());
        Assert.Empty(Pairs(whole.TrainTrain).Intersect(Pairs(whole.TrainTest)));
        Assert.Empty(StreamedPairs(streamed.TrainTrainRows).Intersect(StreamedPairs(streamed.TrainTestRows)));
        Assert.True(whole.TrainTest.Count > 0 && streamed.TrainTestRows.Count > 0);
        Assert.True(Pairs(whole.Train).Distinct().Count() < whole.Train.Count);   // not trivially: training pairs repeat
    }

    /// <summary>Runs <paramref name="change"/> once the first of the two passes has read every row (progress 50 %).</summary>
    private sealed class ChangeBetweenPasses(Action change) : IProgress<double>
    {
        private bool _changed;

        public void Report(double value)
        {
            if (_changed || value < 0.5) return;
            _changed = true;
            change();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_lake_that_changes_between_the_passes_is_refused_in_one_line(bool moreLabeled)
    {
        var part = _folder.At("lake", "a.parquet");
        var (labels, split) = (new LabelingOptions(LabelRule.Rating), new SplitOptions(Seed: 3));
        // Rated 2.5 the rows are unlabeled, 4 positive: the second pass then meets labeled rows the draw was not sized for.
        LakeFiles.Part(part, 1, 20, rating: moreLabeled ? 2.5f : 4);
        var change = new ChangeBetweenPasses(() => LakeFiles.Part(part, 1, moreLabeled ? 20 : 10, rating: 4));
        var e = Assert.Throws<DataException>(() =>
            PreparedDataset.Hold(new LakeSource(LogDataset.Open(_folder.At("lake")), new ReadOptions(), labels, split), FeedbackOptions.Default, out _, change));
        Assert.StartsWith($"{_folder.At("lake")}: changed while being read (the second pass met {(moreLabeled ? "more labeled" : "fewer")} rows than the first)", e.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void A_lake_whose_labeled_rows_turn_unlabeled_between_the_passes_is_refused_in_one_line(bool byHash, bool streamed)
    {
        // The same users and items, rated 2.5 (unlabeled) the second time: more rows for the middle band than the first pass counted.
        var part = _folder.At("lake", "a.parquet");
        var (labels, split) = (new LabelingOptions(LabelRule.Rating), new SplitOptions(Seed: 3, ByHash: byHash));
        LakeFiles.Part(part, 1, 20, rating: 4);
        var change = new ChangeBetweenPasses(() => LakeFiles.Part(part, 1, 20, rating: 2.5f));
        var source = new LakeSource(LogDataset.Open(_folder.At("lake")), new ReadOptions(), labels, split);
        var e = Assert.Throws<DataException>(() => streamed
            ? PreparedDataset.Stream(source, FeedbackOptions.Default, middleBand: true, shuffleBuffer: 64, change)
            : PreparedDataset.Hold(source, FeedbackOptions.Default, out _, change));
        Assert.StartsWith($"{_folder.At("lake")}: changed while being read (the second pass met more unlabeled rows than the first)", e.Message);
    }

    [Fact]
    public void An_empty_lake_gives_an_empty_dataset_with_its_rules_marked()
    {
        LakeFiles.Part(_folder.At("empty", "a.parquet"), 1, 0);
        var rules = new FeedbackOptions(FeedbackRule.Like, FeedbackRule.Parse("rating:4", "--test-positives"));
        var empty = PreparedDataset.Hold(new LakeSource(LogDataset.Open(_folder.At("empty")), new ReadOptions(), new LabelingOptions(LabelRule.Rating), new SplitOptions()), rules, out _);
        Assert.Equal((0, 0, 0, 0), (empty.Train.Count, empty.Valid.Count, empty.Test.Count, empty.UnlabeledRowCount));
        Assert.Equal(0, empty.Extra.TestPositives!.Count);
    }

    [Fact]
    public void Only_a_held_read_splits_randomly()
    {
        var random = new LakeSource(LogDataset.Open(lake.Directory), new ReadOptions(), StreamedLake.Labels, new SplitOptions(Seed: 2));
        var e = Assert.Throws<ArgumentException>(() => PreparedDataset.Stream(random, FeedbackOptions.Default, middleBand: false, shuffleBuffer: 10));
        Assert.StartsWith("a streamed read splits by hash or by time", e.Message);
        Assert.True(PreparedDataset.Hold(random, FeedbackOptions.Default, out _).Train.Count > 0);
    }

    [Fact]
    public void What_needs_the_whole_log_is_left_to_the_whole_read()
    {
        var dataset = LogDataset.Open(lake.Directory);
        var random = new SplitOptions();
        Assert.True(PreparedDataset.CanHoldByScan(dataset, StreamedLake.Labels, AllRules, random, null));
        Assert.False(PreparedDataset.CanHoldByScan(dataset, new LabelingOptions(LabelRule.PlayTime), AllRules, random, null));
        Assert.False(PreparedDataset.CanHoldByScan(dataset, StreamedLake.Labels, new FeedbackOptions(FeedbackRule.Parse("column:like", "--extra-feedback")), random, null));

        // A log with a split column: a random split follows it, which the scan does not; by hash or by time it is set aside.
        var withSplit = _folder.File("split.parquet");
        var log = lake.Whole;
        log.Split = Enumerable.Range(0, log.Count).Select(r => (SplitTag)(1 + r % 3)).ToArray();
        InteractionLogParquet.Write(log, withSplit);
        log.Split = null;
        Assert.False(PreparedDataset.CanHoldByScan(LogDataset.Open(withSplit), StreamedLake.Labels, AllRules, random, null));
        Assert.True(PreparedDataset.CanHoldByScan(LogDataset.Open(withSplit), StreamedLake.Labels, AllRules, random with { ByHash = true }, null));
        Assert.True(PreparedDataset.CanHoldByScan(LogDataset.Open(withSplit), StreamedLake.Labels, AllRules, random, ByTime));
        var refused = Assert.Throws<ArgumentException>(() => PreparedDataset.Hold(new LakeSource(LogDataset.Open(withSplit), new ReadOptions(), StreamedLake.Labels, random), AllRules, out _));
        Assert.Contains("whole log", refused.Message);
    }
}
