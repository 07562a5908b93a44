using static InverseLearning.Data.Tests.ParquetFixture;

namespace InverseLearning.Data.Tests.Parquet;

public class SkipPolicyTests
{
    [Fact]
    public void SkipLeavesBadRowsOutAndCountsThemByReason()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.parquet");
        //            row:  1     2     3     4     5     6     7     8
        long?[] users = [   1, null,    3,    4,    5,    6,    7, null];
        long?[] play = [   10,   10,   -5,   10,   10,   -1,   10,   10];
        long?[] duration = [20, 20,    20,    0,   20,   20,   20,   20];
        float?[] rating = [  3,    3,    3,    3,    9,    3, null,    3];
        Write(path, rowGroupSize: 3,
            NullableInt64("user_id", users),
            Int64("item_id", 1, 2, 3, 4, 5, 6, 7, 8),
            NullableInt64("play_time_ms", play),
            NullableInt64("duration_ms", duration),
            NullableFloat("rating", rating));

        var log = InteractionLogParquet.Read(path, new ReadOptions(BadRowPolicy.Skip));

        Assert.Equal([1L, 7L], log.UserId);
        Assert.Equal([1L, 7L], log.ItemId);
        Assert.Equal([true, false], log.Rating!.HasValue);
        var report = log.SkippedRows;
        Assert.Equal(6, report.Total);
        Assert.Equal(2, report.Counts[BadRowReason.NullUserId]);
        Assert.Equal(2, report.Counts[BadRowReason.NegativePlayTime]);
        Assert.Equal(1, report.Counts[BadRowReason.NonPositiveDuration]);
        Assert.Equal(1, report.Counts[BadRowReason.RatingOutOfRange]);
        Assert.Equal([2L, 8L], report.FirstRows(BadRowReason.NullUserId));
        Assert.Equal([3L, 6L], report.FirstRows(BadRowReason.NegativePlayTime));
        Assert.Equal([4L], report.FirstRows(BadRowReason.NonPositiveDuration));
        Assert.Equal([5L], report.FirstRows(BadRowReason.RatingOutOfRange));
        var lines = report.Describe(new ReadOptions()).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Contains("user_id: 2 rows skipped (expected a user id, found null), first at rows 2, 8", lines);
    }

    [Fact]
    public void ReportKeepsOnlyTheFirstFewRowNumbers()
    {
        var report = new BadRowReport();
        for (var row = 1; row <= 12; row++) report.Add(BadRowReason.UnknownSplit, row);

        Assert.Equal(12, report.Counts[BadRowReason.UnknownSplit]);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], report.FirstRows(BadRowReason.UnknownSplit));
        Assert.Empty(report.FirstRows(BadRowReason.NullItemId));
    }
}
