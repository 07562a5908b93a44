namespace InverseLearning.Data.Tests.Preparation;

/// <summary>
/// The split by time on hand-built logs whose rows say where they belong: item id = row
/// number, so every split's rows can be named exactly.
/// </summary>
public class TimeSplitTests
{
    private const long Day = 86_400_000;
    private const long Jan1 = 1_704_067_200_000;   // 2024-01-01 00:00 UTC
    private static readonly LabelingOptions ByRating = new(LabelRule.Rating);

    /// <summary>A rating log: one row per (user, timestamp), item = row number, ratings alternating 5 and 1 so every row is labeled.</summary>
    private static InteractionLog Log(long[] users, long[] timestamps, float[]? ratings = null)
    {
        var log = new InteractionLog(users.Length) { TimestampMs = timestamps, Rating = new NullableColumn<float>(users.Length) };
        for (var row = 0; row < users.Length; row++)
        {
            log.UserId[row] = users[row];
            log.ItemId[row] = row;
            log.Rating.Set(row, ratings?[row] ?? (row % 2 == 0 ? 5 : 1));
        }
        return log;
    }

    /// <summary>The log as a single-file dataset (no partition columns).</summary>
    private static DatasetLog Single(InteractionLog log) =>
        new(log, new PartitionColumns([], [log.Count], [new Dictionary<string, string>()]));

    private static PreparedDataset SplitByTime(InteractionLog log, int validDays, int testDays, int seed = 42) =>
        PreparedDataset.Prepare(log, ByRating, new SplitOptions(Seed: seed), FeedbackOptions.Default,
            RowDays.Of(Single(log), "log.parquet"), new TimeSplit(validDays, testDays), "log.parquet");

    /// <summary>The log rows (= raw item ids) of a set, in order.</summary>
    private static long[] RowsOf(PreparedDataset data, LabeledSet set) => [.. set.Items.Take(set.Count).Select(i => data.Items.RawIds[i])];

    [Fact]
    public void The_last_days_are_test_the_days_before_them_valid_by_utc_calendar_day()
    {
        // Rows 0-1 on Jan 1, 2 on Jan 2 (its last millisecond), 3 on Jan 3 (its first), 4-5 on Jan 4, 6 on Jan 5; out of order.
        var log = Log([1, 1, 2, 2, 3, 1, 2],
            [Jan1, Jan1 + Day - 1, Jan1 + 2 * Day - 1, Jan1 + 2 * Day, Jan1 + 4 * Day - 1, Jan1 + 3 * Day, Jan1 + 4 * Day + 5]);

        var data = SplitByTime(log, validDays: 2, testDays: 1);

        Assert.Equal([0L, 1, 2], RowsOf(data, data.Train).Order());
        Assert.Equal([3L, 4, 5], RowsOf(data, data.Valid));
        Assert.Equal([6L], RowsOf(data, data.Test));
        var days = data.TimeSplitReport!.Days;
        Assert.Equal(new DaySpan(19723, 19724, 2), days.Train);
        Assert.Equal("2024-01-03 to 2024-01-04 (2 days)", days.Valid.ToString());
        Assert.Equal("2024-01-05", days.Test.ToString());
        Assert.Equal("the timestamp column (UTC days)", days.Source);
        Assert.False(days.ReplacedSplitColumn);
    }

    [Fact]
    public void Days_without_rows_are_not_counted_so_a_gap_is_never_held_out_empty()
    {
        // Rows on days 1, 2, 5 and 9 (of January): nothing on 3-4 and 6-8.
        var log = Log([1, 2, 3, 4], [Jan1, Jan1 + Day, Jan1 + 4 * Day, Jan1 + 8 * Day]);

        var data = SplitByTime(log, validDays: 1, testDays: 1);

        Assert.Equal([0L, 1], RowsOf(data, data.Train).Order());
        Assert.Equal([2L], RowsOf(data, data.Valid));
        Assert.Equal([3L], RowsOf(data, data.Test));
        Assert.Equal("2024-01-05", data.TimeSplitReport!.Days.Valid.ToString());
    }

    [Fact]
    public void Days_before_the_epoch_are_floored_to_their_utc_day()
    {
        // -1 ms is 1969-12-31, 0 is 1970-01-01: two days, so one of each split needs three.
        var log = Log([1, 2, 3], [-1, 0, Day]);

        var data = SplitByTime(log, validDays: 1, testDays: 1);

        Assert.Equal([0L], RowsOf(data, data.Train));
        Assert.Equal("1969-12-31", data.TimeSplitReport!.Days.Train.ToString());
    }

    [Fact]
    public void Training_test_is_a_seeded_share_of_the_training_days_rows_only()
    {
        var random = new Random(1);
        var timestamps = Enumerable.Range(0, 2000).Select(_ => Jan1 + random.NextInt64(10 * Day)).ToArray();
        var log = Log([.. Enumerable.Range(0, 2000).Select(r => (long)(r % 50))], timestamps);
        var trainRows = timestamps.Count(t => t < Jan1 + 8 * Day);

        var a = SplitByTime(log, 1, 1, seed: 5);
        var b = SplitByTime(Log([.. log.UserId], timestamps), 1, 1, seed: 5);
        var c = SplitByTime(Log([.. log.UserId], timestamps), 1, 1, seed: 6);

        Assert.Equal(trainRows, a.Train.Count);
        Assert.Equal(Math.Round(trainRows * 0.1), a.TrainTest.Count);
        Assert.All(RowsOf(a, a.TrainTest), row => Assert.True(timestamps[row] < Jan1 + 8 * Day));
        Assert.Equal(RowsOf(a, a.TrainTest), RowsOf(b, b.TrainTest));
        Assert.NotEqual(RowsOf(a, a.TrainTest), RowsOf(c, c.TrainTest));
        // The seed draws training-test only: the held-out days are the same whatever it is.
        Assert.Equal(RowsOf(a, a.Test), RowsOf(c, c.Test));
    }

    [Fact]
    public void Held_out_users_and_items_without_a_training_row_are_counted_and_kept()
    {
        // Train days (Jan 1-2): users 1, 2 on items 10, 11; user 4's only train-day row is unlabeled (rating 2.5, between
        // the default thresholds), so it has no training row. Valid (Jan 3): user 1 on new item 12, new user 3 on item 10,
        // user 4 on item 11. Test (Jan 4): user 3 (first seen in valid, still no training row) on item 12, user 2 on item 10.
        var log = Log([1, 2, 4, 1, 3, 4, 3, 2], [Jan1, Jan1 + Day, Jan1 + Day, Jan1 + 2 * Day, Jan1 + 2 * Day, Jan1 + 2 * Day, Jan1 + 3 * Day, Jan1 + 3 * Day],
            [5, 1, 2.5f, 5, 1, 5, 5, 1]);
        long[] items = [10, 11, 11, 12, 10, 11, 12, 10];
        items.CopyTo(log.ItemId, 0);

        var data = SplitByTime(log, validDays: 1, testDays: 1);
        var report = data.TimeSplitReport!;

        Assert.Equal(3, data.Valid.Count);
        Assert.Equal(2, data.Test.Count);
        // Valid: users 1, 3, 4 (3 and 4 cold), items 12, 10, 11 (12 cold); rows (1,12), (3,10), (4,11) all hold a cold id.
        Assert.Equal(new ColdStart(Users: 3, ColdUsers: 2, Items: 3, ColdItems: 1, Rows: 3, ColdRows: 3), report.Valid);
        // Test: users 3, 2 (3 cold), items 12, 10 (12 cold); one row, (3, 12), holds one.
        Assert.Equal(new ColdStart(Users: 2, ColdUsers: 1, Items: 2, ColdItems: 1, Rows: 2, ColdRows: 1), report.Test);
        Assert.Equal("1 of 2 users and 1 of 2 items have no training row; 1 of 2 rows hold one of them", report.Test.ToString());
    }

    [Fact]
    public void The_report_for_metrics_json_names_the_days_and_the_cold_counts()
    {
        var log = Log([1, 1, 2], [Jan1, Jan1 + Day, Jan1 + 2 * Day]);

        var json = System.Text.Json.JsonSerializer.Serialize(SplitByTime(log, 1, 1).TimeSplitReport!.ToDictionary());

        Assert.Equal(
            """
            {"days_from":"the timestamp column (UTC days)","train_days":{"first":"2024-01-01","last":"2024-01-01","days":1},"valid_days":{"first":"2024-01-02","last":"2024-01-02","days":1},"test_days":{"first":"2024-01-03","last":"2024-01-03","days":1},"cold_valid":{"users":1,"cold_users":0,"items":1,"cold_items":1,"rows":1,"cold_rows":1},"cold_test":{"users":1,"cold_users":1,"items":1,"cold_items":1,"rows":1,"cold_rows":1}}
            """, json);
    }

    [Fact]
    public void A_split_column_the_log_has_gives_way_to_the_days_and_the_report_says_so()
    {
        var log = Log([1, 2, 3], [Jan1, Jan1 + Day, Jan1 + 2 * Day]);
        log.Split = [SplitTag.Test, SplitTag.Test, SplitTag.Train];

        var data = SplitByTime(log, 1, 1);

        Assert.Equal([0L], RowsOf(data, data.Train));
        Assert.Equal([2L], RowsOf(data, data.Test));
        Assert.True(data.TimeSplitReport!.Days.ReplacedSplitColumn);
        Assert.Contains("the log's split column is not used", data.TimeSplitReport.DaysLine);
    }

    [Fact]
    public void Holding_out_as_many_days_as_the_log_has_is_one_error_naming_both_flags_and_the_days()
    {
        var log = Log([1, 2, 3], [Jan1, Jan1 + Day, Jan1 + 3 * Day]);

        var error = Assert.Throws<DataException>(() => SplitByTime(log, 2, 1));

        Assert.Equal("log.parquet: --valid-days 2 + --test-days 1 hold out 3 days, but the log has rows on 3 days, 2024-01-01 to 2024-01-04 by the timestamp column (UTC days); leave at least one day for training", error.Message);
        // One day fewer held out leaves the first day for training.
        var fewer = SplitByTime(Log([1, 2, 3], [Jan1, Jan1 + Day, Jan1 + 3 * Day]), 1, 1);
        Assert.Equal([0L], RowsOf(fewer, fewer.Train));
    }

    [Fact]
    public void Day_counts_whose_sum_passes_int_max_are_refused_not_wrapped()
    {
        var log = Log([1, 2, 3], [Jan1, Jan1 + Day, Jan1 + 2 * Day]);

        var error = Assert.Throws<DataException>(() => SplitByTime(log, int.MaxValue, int.MaxValue));

        Assert.Contains("hold out 4,294,967,294 days, but the log has rows on 3 days", error.Message);
    }

    [Fact]
    public void A_log_of_one_day_is_told_in_the_singular()
    {
        var error = Assert.Throws<DataException>(() => SplitByTime(Log([1, 2], [Jan1, Jan1 + 60_000]), 1, 1));

        Assert.Contains("but the log has rows on 1 day, 2024-01-01", error.Message);   // was "1 days"
    }

    [Fact]
    public void An_empty_log_is_refused_by_the_day_count_too()
    {
        var error = Assert.Throws<DataException>(() => SplitByTime(Log([], []), 1, 1));

        Assert.Contains("the log has rows on 0 days; leave at least one day", error.Message);
    }

    [Theory]
    [InlineData(0, 1, "--valid-days must be at least 1")]
    [InlineData(-2, 1, "--valid-days must be at least 1")]
    [InlineData(1, 0, "--test-days must be at least 1")]
    [InlineData(1, -1, "--test-days must be at least 1, got -1")]
    public void Day_counts_below_one_are_refused_naming_the_flag(int validDays, int testDays, string expected)
    {
        var log = Log([1, 2, 3], [Jan1, Jan1 + Day, Jan1 + 2 * Day]);

        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => SplitByTime(log, validDays, testDays)).Message);
    }

    [Fact]
    public void A_log_without_timestamps_or_day_partitions_has_no_days()
    {
        var log = SampleLogs.RandomRatings(10, 2, 2, seed: 1);

        var error = Assert.Throws<DataException>(() => RowDays.Of(Single(log), "log.parquet"));

        Assert.Equal("log.parquet: --split time needs each row's day, but the log has no 'timestamp' column and no day= partition directories", error.Message);
    }

    [Fact]
    public void A_timestamp_beyond_year_9999_is_refused_naming_the_row()
    {
        var log = Log([1, 2], [Jan1, long.MaxValue]);

        var error = Assert.Throws<DataException>(() => RowDays.Of(Single(log), "log.parquet"));

        Assert.Contains("row 2: timestamp 9223372036854775807 lies outside years 1–9999", error.Message);
    }
}
