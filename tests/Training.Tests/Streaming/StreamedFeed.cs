using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Tests.Streaming;

/// <summary>The tiny simulated feed as a day-partitioned lake, streamed, and the same lake read whole with the same split by hash.</summary>
public sealed class StreamedFeed : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("il-streamed-").FullName;

    public StreamedFeed()
    {
        var options = SimulatorPresets.Get("tiny") with { Users = 300, Items = 600, Impressions = 40_000, Factors = 4, UserActivitySigma = 0.3 };
        var simulation = FeedSimulator.Run(options, seed: 3);
        Truth = simulation.Truth;
        Lake = Path.Combine(_root, "interactions");
        SimulationFiles.Replace(Lake, staging => DayPartitionedWriter.WriteDays(simulation.Log, Lake, staging, DayPartitionedWriter.PartFileName, metadata: null));
        Data = Stream(shuffleBuffer: 4_096);
        Whole = PreparedDataset.Prepare(LogDataset.Open(Lake).Read().Log, Labels, Split);
    }

    private static readonly LabelingOptions Labels = new(LabelRule.FinishRate);
    private static readonly SplitOptions Split = new(Seed: 3, ByHash: true);

    public string Lake { get; }
    public PreparedDataset Data { get; }
    public PreparedDataset Whole { get; }
    public GroundTruth Truth { get; }

    public PreparedDataset Stream(int shuffleBuffer, bool middleBand = true) =>
        PreparedDataset.Stream(new LakeSource(LogDataset.Open(Lake), new ReadOptions(), Labels, Split), FeedbackOptions.Default, middleBand, shuffleBuffer);

    public string Scratch(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
