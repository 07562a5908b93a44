namespace InverseLearning.Data.Tests.Lake;

/// <summary>A split by time over a lake: the rows' days come from their day= directories, read as the lake is.</summary>
public class DayPartitionTimeSplitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private PreparedDataset Split(string where = "")
    {
        var read = Read(where);
        return PreparedDataset.Prepare(read.Log, new LabelingOptions(LabelRule.Rating), new SplitOptions(), FeedbackOptions.Default,
            RowDays.Of(read, _folder.Path), new TimeSplit(1, 1), _folder.Path);
    }

    private DatasetLog Read(string where) => LogDataset.Open(_folder.Path, where == "" ? null : where).Read();

    [Fact]
    public void Each_part_takes_the_day_of_its_directory()
    {
        // User ids say the day: 100s on Jan 1, 200s on Jan 2, 300s on Jan 4 (Jan 3 missing), 400s on Jan 5.
        LakeFiles.Part(_folder.At("day=2024-01-02", "part-0.parquet"), 200, 2);
        LakeFiles.Part(_folder.At("day=2024-01-01", "part-0.parquet"), 100, 3);
        LakeFiles.Part(_folder.At("day=2024-01-01", "part-1.parquet"), 110, 1);
        LakeFiles.Part(_folder.At("day=2024-01-05", "part-0.parquet"), 400, 2);
        LakeFiles.Part(_folder.At("day=2024-01-04", "part-0.parquet"), 300, 1, rating: 1);

        var data = Split();

        Assert.Equal([100L, 101, 102, 110, 200, 201], Users(data, data.Train));
        Assert.Equal([300L], Users(data, data.Valid));
        Assert.Equal([400L, 401], Users(data, data.Test));
        Assert.Equal("the day= partitions", data.TimeSplitReport!.Days.Source);
        Assert.Equal("2024-01-01 to 2024-01-02 (2 days)", data.TimeSplitReport.Days.Train.ToString());
    }

    [Fact]
    public void The_partition_decides_the_day_over_the_rows_timestamps()
    {
        // A lake cut in local time: the Jan 2 partition holds a row whose UTC timestamp is still Jan 1.
        Write("day=2024-01-01", 100, 1_704_067_200_000);
        Write("day=2024-01-02", 200, 1_704_150_000_000);   // 2024-01-01 23:00 UTC
        Write("day=2024-01-03", 300, 1_704_240_000_000);

        var data = Split();

        Assert.Equal([100L], Users(data, data.Train));
        Assert.Equal([200L], Users(data, data.Valid));
    }

    [Fact]
    public void Days_pruned_by_where_are_not_days_of_the_log()
    {
        foreach (var (day, user) in new[] { ("2024-01-01", 100L), ("2024-01-02", 200L), ("2024-01-03", 300L), ("2024-01-04", 400L) })
            LakeFiles.Part(_folder.At($"day={day}", "part-0.parquet"), user, 1);

        var data = Split("day<2024-01-04");

        Assert.Equal([100L], Users(data, data.Train));
        Assert.Equal([300L], Users(data, data.Test));
    }

    [Fact]
    public void A_day_partition_that_is_not_a_date_is_one_error_naming_it()
    {
        LakeFiles.Part(_folder.At("day=2024-01-01", "part-0.parquet"), 100, 1);
        LakeFiles.Part(_folder.At("day=yesterday", "part-0.parquet"), 200, 1);

        var error = Assert.Throws<DataException>(() => RowDays.Of(Read(""), _folder.Path));

        Assert.Equal($"{_folder.Path}: partition day=yesterday is not a date YYYY-MM-DD, which --split time reads the rows' days from", error.Message);
    }

    private void Write(string partition, long user, long timestamp)
    {
        var path = _folder.At(partition, "part-0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var log = new InteractionLog(1) { TimestampMs = [timestamp], Rating = new NullableColumn<float>([4f], [true]) };
        log.UserId[0] = user;
        log.ItemId[0] = 7;
        InteractionLogParquet.Write(log, path);
    }

    private static long[] Users(PreparedDataset data, LabeledSet set) => [.. set.Users.Take(set.Count).Select(u => data.Users.RawIds[u]).Order()];
}
