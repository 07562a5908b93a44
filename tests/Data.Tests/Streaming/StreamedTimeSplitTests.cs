namespace InverseLearning.Data.Tests.Streaming;

/// <summary>
/// A split by time over a streamed lake: the first pass finds the days and cuts them as a held
/// read does, so validation and test are the same rows, the cold counts the same, and every
/// training row is read at each epoch, parted into training-train and -test by the hash.
/// </summary>
public class StreamedTimeSplitTests(StreamedLake lake) : IClassFixture<StreamedLake>, IDisposable
{
    private static readonly TimeSplit ByTime = new(ValidDays: 2, TestDays: 3);
    private static readonly SplitOptions Split = new(Seed: 5);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static PreparedDataset Stream(string lakePath, TimeSplit? byTime = null, int shuffleBuffer = 500) =>
        PreparedDataset.Stream(new LakeSource(LogDataset.Open(lakePath), new ReadOptions(), StreamedLake.Labels, Split, byTime ?? ByTime), FeedbackOptions.Default, true, shuffleBuffer);

    private static PreparedDataset Held(string lakePath)
    {
        var read = LogDataset.Open(lakePath).Read();
        return PreparedDataset.Prepare(read.Log, StreamedLake.Labels, Split, FeedbackOptions.Default, RowDays.Of(read, lakePath), ByTime, lakePath);
    }

    /// <summary>The lake's rows in one file (one row group), their days then read from the timestamps.</summary>
    private string OneFile()
    {
        var path = _folder.File("interactions.parquet");
        InteractionLogParquet.Write(lake.Whole, path);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Validation_and_test_are_the_held_reads_days_with_the_same_cold_counts(bool fromTimestamps)
    {
        var path = fromTimestamps ? OneFile() : lake.Directory;
        var (streamed, held) = (Stream(path), Held(path));

        StreamedDatasetTests.AssertSameRows(held.Valid, streamed.Valid);
        StreamedDatasetTests.AssertSameRows(held.Test, streamed.Test);
        Assert.True(held.Valid.Count > 0 && held.Test.Count > 0 && held.Train.Count > held.Test.Count);
        Assert.Equal(held.Train.Count, streamed.TrainRows.Count);
        Assert.Equal(held.Train.PositiveCount, streamed.TrainRows.PositiveCount);
        Assert.Equal(held.TrainPositivesPerUser(), streamed.TrainPositivesPerUser());
        Assert.Equal(held.TrainRowsPerUser(), streamed.TrainRowsPerUser());
        Assert.Equal(held.TimeSplitReport, streamed.TimeSplitReport);
        Assert.Equal(fromTimestamps ? RowDays.FromTimestamps : RowDays.FromPartitions, streamed.TimeSplitReport!.Days.Source);
        Assert.Equal((2, 3), (streamed.TimeSplitReport.Days.Valid.Days, streamed.TimeSplitReport.Days.Test.Days));
        // The simulated feed meets new users and items every day: the held-out days have cold ones to count.
        Assert.True(streamed.TimeSplitReport.Test.ColdRows > 0, streamed.TimeSplitReport.Test.ToString());
    }

    [Fact]
    public void An_epoch_reads_every_training_row_of_the_train_days_once()
    {
        var held = Held(lake.Directory);
        var schedule = Stream(lake.Directory).TrainRows.Batches(batchSize: 100, ng: 0, sampler: null, seed: 3);
        var rows = schedule.Epoch(1).SelectMany(batch => Enumerable.Range(0, batch.LabeledCount).Select(r => (batch.Users[r], batch.Items[r], batch.Labels[r])).ToList());
        var expected = Enumerable.Range(0, held.Train.Count).Select(r => (held.Train.Users[r], held.Train.Items[r], held.Train.Labels[r]));
        Assert.Equal(expected.Order(), rows.Order());
    }

    [Fact]
    public void Training_test_is_drawn_by_the_hash_of_each_training_row()
    {
        var held = Held(lake.Directory);
        var streamed = Stream(lake.Directory);
        var expected = Enumerable.Range(0, held.Train.Count)
            .Count(r => HashSplit.AssignTrain(held.Users.RawIds[held.Train.Users[r]], held.Items.RawIds[held.Train.Items[r]], Split) == RowAssignment.TrainTest);
        Assert.Equal(expected, streamed.TrainTestRows.Count);
        Assert.Equal(held.Train.Count - expected, streamed.TrainTrainRows.Count);
        Assert.InRange(expected, 1, held.Train.Count / 4);   // a tenth in expectation
    }

    [Fact]
    public void An_epoch_split_by_time_counts_each_rows_timestamp_and_day()
    {
        var byTime = Stream(lake.Directory).Streamed!;
        var byHash = lake.Stream(shuffleBuffer: 500).Streamed!;
        Assert.Equal(16L * byTime.LargestGroupRows, byTime.EpochBytes - byHash.EpochBytes);
        Assert.True(byTime.LargestGroupRows > 0);
        // A held read decodes the same groups, and keeps the heap they took; a streamed dataset counts them in its epochs instead.
        Assert.Equal(byTime.LargestGroupRows, PreparedDataset.Hold(lake.Source(), FeedbackOptions.Default, out _).ReadGroupRows);
        Assert.Equal(0, Stream(lake.Directory).ReadGroupRows);
        Assert.Equal(0, lake.InMemory().ReadGroupRows);
    }

    [Fact]
    public void Holding_out_every_day_is_one_error_naming_the_lake_and_its_days()
    {
        var days = LogDataset.Open(lake.Directory).Parts.Count;
        var e = Assert.Throws<DataException>(() => Stream(lake.Directory, new TimeSplit(1, days - 1)));
        Assert.StartsWith($"{lake.Directory}: --valid-days 1 + --test-days {days - 1} hold out {days} days, but the log has rows on {days} days", e.Message);
        Assert.Contains("by the day= partitions; leave at least one day for training", e.Message);
    }

    [Fact]
    public void A_lake_without_days_or_with_a_timestamp_not_in_ms_is_one_error()
    {
        var noDays = _folder.File("no-days.parquet");
        var log = new InteractionLog(3) { Rating = new NullableColumn<float>([4f, 2f, 5f], [true, true, true]) };
        log.UserId.AsSpan().Fill(1);
        InteractionLogParquet.Write(log, noDays);
        var source = new LakeSource(LogDataset.Open(noDays), new ReadOptions(), new LabelingOptions(LabelRule.Rating), Split, ByTime);
        var e = Assert.Throws<DataException>(() => PreparedDataset.Stream(source, FeedbackOptions.Default, false, 10));
        Assert.Contains("--split time needs each row's day, but the log has no 'timestamp' column", e.Message);

        var badStamp = _folder.File("bad-stamp.parquet");
        log.TimestampMs = [1_704_067_200_000, long.MaxValue, 1_704_067_200_000];
        InteractionLogParquet.Write(log, badStamp);
        var stamp = Assert.Throws<DataException>(() => PreparedDataset.Stream(source with { Dataset = LogDataset.Open(badStamp) }, FeedbackOptions.Default, false, 10));
        Assert.Equal($"{badStamp}: row 2: timestamp {long.MaxValue} lies outside years 1–9999; expected milliseconds since the Unix epoch", stamp.Message);

        // Under --on-bad-row skip the rows left out before it still count: the row is the file's.
        var afterSkipped = _folder.File("skipped-then-bad-stamp.parquet");
        ParquetFixture.Write(afterSkipped, 10, ParquetFixture.NullableInt64("user_id", null, 1, 1, 1), ParquetFixture.Int64("item_id", 1, 2, 3, 4),
            ParquetFixture.NullableFloat("rating", 4, 9, 5, 4), ParquetFixture.Int64("timestamp", 1_704_067_200_000, 1_704_067_200_000, 1_704_067_200_000, long.MaxValue));
        var skipping = source with { Dataset = LogDataset.Open(afterSkipped), Read = new ReadOptions(BadRowPolicy.Skip) };
        var numbered = Assert.Throws<DataException>(() => PreparedDataset.Stream(skipping, FeedbackOptions.Default, false, 10));
        Assert.StartsWith($"{afterSkipped}: row 4: timestamp {long.MaxValue}", numbered.Message);
    }
}
