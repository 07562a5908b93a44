using static InverseLearning.Data.Tests.ParquetFixture;

namespace InverseLearning.Data.Tests.Parquet;

public class RoundTripTests
{
    [Fact]
    public void EveryColumnAndNullSurvivesWriteThenRead()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.parquet");
        var original = SampleLogs.Full();

        InteractionLogParquet.Write(original, path);
        var read = InteractionLogParquet.Read(path);

        Assert.Equal(original.Count, read.Count);
        Assert.Equal(original.UserId, read.UserId);
        Assert.Equal(original.ItemId, read.ItemId);
        Assert.Equal(original.TimestampMs, read.TimestampMs);
        AssertSameColumn(original.PlayTimeMs!, read.PlayTimeMs!);
        AssertSameColumn(original.DurationMs!, read.DurationMs!);
        AssertSameColumn(original.Rating!, read.Rating!);
        AssertSameColumn(original.Like!, read.Like!);
        AssertSameColumn(original.Hate!, read.Hate!);
        Assert.Equal(original.Split, read.Split);
        Assert.Equal(0, read.SkippedRows.Total);
    }

    [Fact]
    public void AbsentOptionalColumnsStayAbsent()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.parquet");
        var original = new InteractionLog(2);
        original.UserId[1] = 5;
        original.ItemId[0] = 9;

        InteractionLogParquet.Write(original, path);
        var read = InteractionLogParquet.Read(path);

        Assert.Equal([0L, 5L], read.UserId);
        Assert.Equal([9L, 0L], read.ItemId);
        Assert.Null(read.TimestampMs);
        Assert.Null(read.PlayTimeMs);
        Assert.Null(read.Rating);
        Assert.Null(read.Split);
        Assert.Equal(2, InteractionLogParquet.CountRows(path));
    }

    [Fact]
    public void EmptyLogRoundTrips()
    {
        using var folder = new TempFolder();
        var path = folder.File("empty.parquet");
        InteractionLogParquet.Write(new InteractionLog(0) { Rating = new NullableColumn<float>(0) }, path);

        var read = InteractionLogParquet.Read(path);

        Assert.Equal(0, read.Count);
        Assert.NotNull(read.Rating);
    }

    [Fact]
    public void ManyRowGroupsAreReadInOrderWithProgress()
    {
        using var folder = new TempFolder();
        var path = folder.File("groups.parquet");
        var users = Enumerable.Range(0, 25).Select(i => (long)i * 3).ToArray();
        var play = Enumerable.Range(0, 25).Select(i => i % 4 == 0 ? null : (long?)i).ToArray();
        Write(path, rowGroupSize: 10, Int64("user_id", users), Int64("item_id", users), NullableInt64("play_time_ms", play));
        var reports = new List<double>();

        var log = InteractionLogParquet.Read(path, new ReadOptions(Progress: new SynchronousProgress(reports.Add)));

        Assert.Equal(users, log.UserId);
        for (var i = 0; i < 25; i++)
            Assert.Equal(play[i], log.PlayTimeMs![i]);
        Assert.Equal([10 / 25.0, 20 / 25.0, 1.0], reports);
    }

    [Fact]
    public void WriteReplacesAnExistingFileWithoutLeavingTemporaries()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.parquet");
        InteractionLogParquet.Write(SampleLogs.Full(), path);
        InteractionLogParquet.Write(new InteractionLog(1), path);

        Assert.Equal(1, InteractionLogParquet.Read(path).Count);
        Assert.Equal(["log.parquet"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    private static void AssertSameColumn<T>(NullableColumn<T> expected, NullableColumn<T> actual) where T : struct
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        for (var row = 0; row < expected.HasValue.Length; row++)
            Assert.Equal(expected[row], actual[row]);
    }
}

/// <summary>Progress that records on the calling thread (Progress&lt;T&gt; would post to a thread pool).</summary>
public sealed class SynchronousProgress(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}
