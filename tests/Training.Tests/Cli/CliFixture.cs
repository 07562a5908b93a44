using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// Real inputs for every verb, made once: a small simulated watch log, a ratings file and a
/// one-epoch run of train (its checkpoint and exported model), all in a scratch folder.
/// </summary>
public sealed class CliFixture : IDisposable
{
    public CliFixture()
    {
        Directory.CreateDirectory(Root);
        var options = SimulatorPresets.Get("tiny") with { Users = 40, Items = 400, Impressions = 1_500 };
        InteractionLogParquet.Write(FeedSimulator.Run(options, seed: 5).Log, Log);
        File.WriteAllText(Ratings, string.Join('\n', Enumerable.Range(0, 60).Select(k => $"{k % 7} {k % 11} {k % 5 + 1}")));
        var (code, _, error) = CliRunner.Run(TimeSpan.FromMinutes(2), "train", "--data", Log, "--out", RunDirectory, "--epochs", "1", "--batch-size", "256");
        if (code != 0) throw new InvalidOperationException($"the fixture's training run failed: {error}");
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "il-cli-" + Guid.NewGuid().ToString("N"));
    public string Log => Path.Combine(Root, "interactions.parquet");
    public string Ratings => Path.Combine(Root, "ratings.txt");
    public string RunDirectory => Path.Combine(Root, "run");
    public string Checkpoint => Path.Combine(RunDirectory, "checkpoint");
    public string Model => Path.Combine(RunDirectory, "model.onnx");
    public string Scratch(string name) => Path.Combine(Root, "scratch", name);

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

/// <summary>Tests that swap Console.Out/Error: one at a time, sharing the fixture's inputs.</summary>
[CollectionDefinition("Console")]
public sealed class ConsoleCollection : ICollectionFixture<CliFixture>;
