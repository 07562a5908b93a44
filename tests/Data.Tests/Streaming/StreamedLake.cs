using InverseLearning.Data.Simulation;
using InverseLearning.Data.Tests.Lake;

namespace InverseLearning.Data.Tests.Streaming;

/// <summary>A simulated feed written as a day-partitioned lake (one part per day), with the same log held whole to compare against.</summary>
public sealed class StreamedLake : IDisposable
{
    private readonly TempFolder _folder = new();

    public StreamedLake()
    {
        var simulation = FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Users = 150, Items = 400, Impressions = 12_000 }, seed: 7);
        Log = simulation.Log;
        Directory = Path.Combine(_folder.Path, "interactions");
        Lakes.Write(Log, Directory);
        // The lake's rows in its parts' order: the order a whole read and the first pass both see.
        Whole = LogDataset.Open(Directory).Read().Log;
    }

    public InteractionLog Log { get; }
    public InteractionLog Whole { get; }
    public string Directory { get; }

    public static readonly LabelingOptions Labels = new(LabelRule.FinishRate);

    public static SplitOptions Split(int seed = 11) => new(Seed: seed, ByHash: true);

    public LakeSource Source(SplitOptions? split = null, ReadOptions? read = null) =>
        new(LogDataset.Open(Directory), read ?? new ReadOptions(), Labels, split ?? Split());

    public PreparedDataset Stream(int shuffleBuffer = 1_000, SplitOptions? split = null, FeedbackOptions? feedback = null, bool middleBand = true) =>
        PreparedDataset.Stream(Source(split), feedback ?? FeedbackOptions.Default, middleBand, shuffleBuffer);

    public PreparedDataset InMemory(SplitOptions? split = null, FeedbackOptions? feedback = null) =>
        PreparedDataset.Prepare(Whole, Labels, split ?? Split(), feedback ?? FeedbackOptions.Default);

    public void Dispose() => _folder.Dispose();
}
