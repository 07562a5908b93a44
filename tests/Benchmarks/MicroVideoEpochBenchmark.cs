using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training;

namespace InverseLearning.Benchmarks;

/// <summary>
/// One training epoch at the paper's Micro-Video scale (the simulator's micro-video
/// preset, cached in the work folder): GMF with NS, batch 1024, 2 threads — wall time,
/// labeled rows/s, and the process's peak resident memory.
/// </summary>
public sealed class MicroVideoEpochBenchmark : IBenchmark
{
    public string Name => "micro-video-epoch";

    public void Run(string workDir, TextWriter report)
    {
        var directory = MicroVideoLog.Directory(workDir);

        var prepare = Stopwatch.StartNew();
        var data = MicroVideoLog.Prepared(directory);
        var prepared = prepare.Elapsed;

        var settings = new TrainSettings { Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 1024, LearningRate = 1e-3, Threads = 2 };
        using var trainer = new Trainer(settings, data);
        var clock = Stopwatch.StartNew();
        trainer.Run();
        var epoch = clock.Elapsed;

        report.WriteLine($"{data.Train.Count:N0} training rows ({data.Users.Count - 1:N0} users, {data.Items.Count - 1:N0} items); data prepared in {prepared.TotalSeconds:F1} s");
        report.WriteLine($"| GMF + NS epoch | {trainer.TrainSeconds:F1} s of steps, {epoch.TotalSeconds:F1} s with validation | {trainer.RowsTrained / trainer.TrainSeconds:N0} labeled rows/s | peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:F2} GB |");
    }
}
