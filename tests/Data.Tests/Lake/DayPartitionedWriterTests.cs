using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Lake;

public class DayPartitionedWriterTests : IDisposable
{
    private const long Day = 86_400_000;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void RowsGoToTheirUtcDayInLogOrderAndReadBackDayByDay()
    {
        var log = SampleLogs.Watch([1, 2, 3, 4, 5], [7, 7, 7, 7, 7], [1, 2, 3, 4, 5], [9, 9, 9, 9, 9]);
        // 2024-01-02 23:59:59.999, 2024-01-01 00:00, 2024-01-02 00:00, before 1970 (negative ms), 2024-01-01 12:00.
        const long jan1 = 1_704_067_200_000;
        log.TimestampMs = [jan1 + 2 * Day - 1, jan1, jan1 + Day, -1, jan1 + Day / 2];
        var dir = _folder.At("lake");

        var order = Lakes.Write(log, dir);
        var read = LogDataset.Open(dir).Read();

        Assert.Equal(["day=1969-12-31", "day=2024-01-01", "day=2024-01-02"], Directory.GetDirectories(dir).Select(Path.GetFileName).Order());
        Assert.Equal([3, 1, 4, 0, 2], order);
        Assert.Equal([4L, 2, 5, 1, 3], read.Log.UserId);
        Assert.Equal(["1969-12-31", "2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02"], Enumerable.Range(0, 5).Select(r => read.Partitions.ValueAt("day", r)));
        Assert.Equal([4L, 2, 5, 1, 3], read.Log.PlayTimeMs!.Values);
    }

    [Fact]
    public void LogWithoutTimestampsOrWithAbsurdOnesIsRefusedBeforeWriting()
    {
        var log = SampleLogs.Watch([1, 2], [7, 7], [1, 1], [9, 9]);
        Assert.Contains("no 'timestamp' column", Assert.Throws<DataException>(() => Lakes.Write(log, _folder.At("lake"))).Message);

        var absurd = new InteractionLog(DayPartitionedWriter.MaxDays + 1) { TimestampMs = [.. Enumerable.Range(0, DayPartitionedWriter.MaxDays + 1).Select(d => d * Day)] };
        var error = Assert.Throws<DataException>(() => Lakes.Write(absurd, _folder.At("lake")));

        Assert.Contains($"more than {DayPartitionedWriter.MaxDays} days", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void SimulatedLogSpansDaysAndItsTruthFollowsTheDatasetRowOrder()
    {
        var result = FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3);
        var labelsBefore = result.Truth.ImpressionLabels;

        var days = PartitionedSimulationFiles.Write(result, _folder.At("sim"));
        var read = LogDataset.Open(Path.Combine(_folder.At("sim"), PartitionedSimulationFiles.DirectoryName)).Read().Log;
        var truth = GroundTruth.Load(_folder.At("sim"));

        Assert.True(days >= 12, $"{days} daily partitions");
        Assert.Same(labelsBefore, result.Truth.ImpressionLabels);
        Assert.Equal(result.Log.Count, read.Count);
        var liked = 0;
        for (var row = 0; row < read.Count; row++)
        {
            Assert.Equal(truth.TrueLabel(read.UserId[row], read.ItemId[row]), truth.ImpressionLabels[row]);
            if (truth.ImpressionLabels[row]) liked++;
        }
        // Both labels occur, so a misaligned truth could not pass by chance.
        Assert.InRange(liked, read.Count / 10, read.Count * 9 / 10);
        var ts = read.TimestampMs!;
        Assert.True(ts.Zip(ts.Skip(1)).All(p => p.First / 86_400_000 <= p.Second / 86_400_000));
    }
}
