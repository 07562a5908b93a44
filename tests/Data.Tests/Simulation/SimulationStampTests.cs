using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

public sealed class SimulationStampTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_stamp_is_the_options_and_seed_so_any_other_simulation_gets_another()
    {
        var tiny = SimulatorPresets.Get("tiny");

        Assert.Equal(SimulationStamp.Of(tiny, 1), SimulationStamp.Of(tiny with { }, 1));
        Assert.NotEqual(SimulationStamp.Of(tiny, 1), SimulationStamp.Of(tiny, 2));
        // Same size and seed, another noise: the log differs, so the stamp must.
        Assert.NotEqual(SimulationStamp.Of(tiny, 1), SimulationStamp.Of(tiny with { FalseNegativeRate = tiny.FalseNegativeRate + 0.01 }, 1));
        Assert.Matches("^[0-9a-f]{32}$", SimulationStamp.Of(tiny, 1));
    }

    [Fact]
    public void Datagen_stamps_the_log_and_its_truth_alike_whole_or_in_pieces()
    {
        var options = SimulatorPresets.Get("tiny");
        var result = FeedSimulator.Run(options, seed: 5);
        var expected = SimulationStamp.Of(options, 5);
        Assert.Equal(expected, result.Truth.Stamp);

        SimulationFiles.Write(result, _folder.File("plain"));
        PartitionedSimulationFiles.WriteInChunks(options, seed: 5, rowsPerChunk: 1_500, _folder.File("pieces"));

        Assert.Equal([expected], LogDataset.Open(Path.Combine(_folder.File("plain"), SimulationFiles.InteractionsFileName)).Footers().Select(part => SimulationStamp.In(part.Metadata)));
        var pieces = LogDataset.Open(Path.Combine(_folder.File("pieces"), PartitionedSimulationFiles.DirectoryName)).Footers();
        Assert.True(pieces.Count > 1);
        Assert.All(pieces, part => Assert.Equal(expected, SimulationStamp.In(part.Metadata)));
        Assert.Equal(expected, GroundTruth.Load(_folder.File("plain")).Stamp);
        Assert.Equal(expected, GroundTruth.Load(_folder.File("pieces")).Stamp);
    }

    [Fact]
    public void A_log_written_by_anything_else_has_no_stamp()
    {
        var path = _folder.File("imported.parquet");
        InteractionLogParquet.Write(SimulatedLogs.TinyWatch.Log, path);

        Assert.Null(SimulationStamp.In(LogDataset.Open(path).Footers().Single().Metadata));
    }
}
