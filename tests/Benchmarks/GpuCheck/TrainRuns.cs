using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using InverseLearning.Training.Cli;

namespace InverseLearning.Benchmarks.GpuCheck;

/// <summary>One `train` run of the check: a model and method for one epoch at a batch size, on a device with a parameter store and ORT threads.</summary>
internal sealed record TrainRun(string Model, string Method, int BatchSize, string Device, string Store, int Threads)
{
    public string Folder => $"{Model}-{Method}-b{BatchSize}-{Device}-{Store}-t{Threads}";
}

/// <summary>What a run's metrics.json says, and its wall time (data preparation, evaluation and export included).</summary>
internal sealed record RunMetrics(double TestAuc, double SamplesPerSecond, double TrainSeconds, double WallSeconds);

/// <summary>
/// Runs `train` in this process through the CLI entry, exactly as the command line would
/// (same flags, same metrics.json), each run once: the equality and throughput steps share
/// the batch-1024 runs of method none. The runs' console output goes to the train log.
/// </summary>
internal sealed class TrainRuns(string data, string runsDir, ErrorLineWriter log)
{
    public const int Seed = 42;
    private readonly Dictionary<TrainRun, Task<RunMetrics>> _runs = [];
    private readonly Lock _lock = new();

    public Task<RunMetrics> Get(TrainRun run)
    {
        lock (_lock)
        {
            if (!_runs.TryGetValue(run, out var task)) _runs[run] = task = Task.Run(() => Train(run));
            return task;
        }
    }

    private async Task<RunMetrics> Train(TrainRun run)
    {
        var outDir = Path.Combine(runsDir, run.Folder);
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        string[] args =
        [
            "train", "--data", data, "--out", outDir, "--model", run.Model, "--method", run.Method, "--epochs", "1",
            "--batch-size", run.BatchSize.ToString(CultureInfo.InvariantCulture), "--seed", Seed.ToString(CultureInfo.InvariantCulture),
            "--threads", run.Threads.ToString(CultureInfo.InvariantCulture), "--device", run.Device, "--store", run.Store,
            // Fast enough that one epoch learns (GMF stays near AUC 0.5 at the default): an equality of untrained models would say little.
            "--lr", "0.01",
        ];
        log.WriteLine($"$ inverselearning {string.Join(' ', args)}");
        var clock = Stopwatch.StartNew();
        var exit = await CliApp.RunAsync(args);
        if (exit != 0)
            throw new InvalidOperationException($"train {run.Folder} exited {exit}: {log.LastError ?? "no error line (see train.log)"}");
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        return new RunMetrics(
            metrics["test"]!["auc"]!.GetValue<double>(),
            metrics["samples_per_second"]!.GetValue<double>(),
            metrics["train_seconds"]!.GetValue<double>(),
            clock.Elapsed.TotalSeconds);
    }
}

/// <summary>
/// The train log: the runs' stdout and stderr go here (Console.Out and Console.Error are
/// pointed at it for the check), and it keeps the last line the CLI wrote as its one-line
/// error ("error: …"), which becomes the failed run's message in gpu-check.json.
/// </summary>
internal sealed class ErrorLineWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => inner.Encoding;
    public string? LastError { get; private set; }

    public override void Write(char value)
    {
        lock (_lock)
        {
            inner.Write(value);
            if (value != '\n')
            {
                _line.Append(value);
                return;
            }
            var line = _line.ToString().TrimEnd('\r');
            _line.Clear();
            if (line.StartsWith("error:", StringComparison.Ordinal)) LastError = line;
        }
    }

    public override void Flush() => inner.Flush();
}
