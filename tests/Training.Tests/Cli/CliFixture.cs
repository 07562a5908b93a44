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

/// <summary>Runs the command line in-process, as Program.cs does, capturing stdout and stderr.</summary>
public static class CliRunner
{
    /// <summary>Exit code 130 means the run passed validation and was cancelled after <paramref name="budget"/>.</summary>
    public static (int Code, string Output, string Error) Run(TimeSpan budget, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            using var cancel = new CancellationTokenSource(budget);
            var run = CliApp.RunAsync(args, cancel.Token);
            // A verb that ignores cancellation and keeps running is a failure of its own.
            if (!run.Wait(budget + TimeSpan.FromSeconds(60)))
                return (-1, output.ToString(), $"did not finish within {budget + TimeSpan.FromSeconds(60)} after cancellation");
            return (run.Result, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}

/// <summary>Tests that swap Console.Out/Error: one at a time, sharing the fixture's inputs.</summary>
[CollectionDefinition("Console")]
public sealed class ConsoleCollection : ICollectionFixture<CliFixture>;
