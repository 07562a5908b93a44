namespace InverseLearning.Data.Tests.Simulation;

using InverseLearning.Data.Simulation;

/// <summary>
/// A feed simulated and written in pieces is the feed simulated whole: the same dataset row for
/// row and column for column, the same truth (labels in dataset order, the same calibration).
/// </summary>
public class ChunkedSimulationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(FeedbackKind.Watch)]
    [InlineData(FeedbackKind.Rating)]
    public void Pieces_written_in_turn_make_the_dataset_the_whole_simulation_makes(FeedbackKind feedback)
    {
        var options = SimulatorPresets.Get("tiny") with { Feedback = feedback, LabelSparsity = feedback == FeedbackKind.Watch ? 0.05 : 0 };
        var whole = FeedSimulator.Run(options, seed: 9);
        PartitionedSimulationFiles.Write(whole, Path.Combine(_folder.Path, "whole"));
        var (truth, days) = PartitionedSimulationFiles.WriteInChunks(options, seed: 9, rowsPerChunk: 1_500, Path.Combine(_folder.Path, "pieces"));

        var expected = LogDataset.Open(Path.Combine(_folder.Path, "whole", "interactions")).Read().Log;
        var actual = LogDataset.Open(Path.Combine(_folder.Path, "pieces", "interactions")).Read().Log;
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.ItemId, actual.ItemId);
        Assert.Equal(expected.TimestampMs, actual.TimestampMs);
        foreach (var (a, b) in new[] { (expected.PlayTimeMs, actual.PlayTimeMs), (expected.DurationMs, actual.DurationMs) })
            Assert.Equal(a?.Values, b?.Values);
        Assert.Equal(expected.Rating?.Values, actual.Rating?.Values);
        Assert.Equal(expected.Like?.Values, actual.Like?.Values);
        Assert.Equal(whole.Truth.GlobalBias, truth.GlobalBias);
        Assert.Equal(GroundTruth.Load(Path.Combine(_folder.Path, "whole")).ImpressionLabels, GroundTruth.Load(Path.Combine(_folder.Path, "pieces")).ImpressionLabels);
        Assert.Equal(Directory.GetDirectories(Path.Combine(_folder.Path, "whole", "interactions")).Length, days);
        // More than one piece was written, and a day holds pieces in simulation order.
        var parts = Directory.GetFiles(Path.Combine(_folder.Path, "pieces", "interactions"), "part-*.parquet", SearchOption.AllDirectories);
        Assert.Contains(parts, part => Path.GetFileName(part) != "part-00000.parquet");
    }
}
