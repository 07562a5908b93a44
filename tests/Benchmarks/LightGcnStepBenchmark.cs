using InverseLearning.Training.Plans;
using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;

namespace InverseLearning.Benchmarks;

/// <summary>
/// LightGCN's step against GMF's on the same NS batches (batch 1024, one sampled row each,
/// 2 threads) on the calibrated default feed and the micro-video preset (both cached in the
/// work folder): ms per step, labeled rows/s, the graph's edges, and memory — the run's
/// estimate and the process's peak resident memory after each model's steps. A LightGCN step
/// propagates over every edge of the training graph, so its cost follows the graph, not the batch.
/// </summary>
public sealed class LightGcnStepBenchmark : IBenchmark
{
    public string Name => "lightgcn";

    public void Run(string workDir, TextWriter report)
    {
        report.WriteLine("| preset | model | edges | ms / step | labeled rows/s | estimated memory | peak RSS after its steps |");
        report.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (preset, steps) in new[] { ("default", 30), ("micro-video", 6) })
        {
            var data = Prepare(workDir, preset);
            // LightGCN first: the process's peak after it is LightGCN's (GMF's tables are far smaller than its graph's activations).
            foreach (var model in new[] { "lightgcn", "gmf" })
            {
                var settings = new TrainSettings { Model = model, Method = "ns", BatchSize = 1024, LearningRate = 1e-3, Threads = 2, Seed = 1 };
                using var trainer = new Trainer(settings, data);
                var edges = trainer.Store.Model is LightGcn lightGcn ? lightGcn.Graph.EdgeCount.ToString("N0") : "–";
                var estimate = RunMemoryEstimate.For(settings, data.Users.Count, data.Items.Count, Math.Max(data.Valid.Count, data.Test.Count), trainingRows: data.Train.Count);
                var (msPerStep, rowsPerSecond) = TimeSteps(trainer, model == "gmf" ? steps * 20 : steps);
                report.WriteLine($"| {preset} | {model} | {edges} | {msPerStep:F1} | {rowsPerSecond:N0} | {estimate.TotalBytes / 1e9:F2} GB | {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:F2} GB |");
            }
        }
    }

    private static PreparedDataset Prepare(string workDir, string preset)
    {
        var directory = Path.Combine(workDir, preset);
        var path = Path.Combine(directory, "interactions.parquet");
        if (!File.Exists(path)) SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get(preset), seed: 1), directory);
        return PreparedDataset.Prepare(InteractionLogParquet.Read(path), new LabelingOptions(LabelRule.FinishRate), new SplitOptions());
    }

    /// <summary>Plain NS steps on the trainer's own batches, after 2 warm-up steps; median ms per step and labeled rows/s.</summary>
    private static (double MsPerStep, double RowsPerSecond) TimeSteps(Trainer trainer, int steps)
    {
        var batches = new BatchIterator(trainer.Data.Train, trainer.Settings.BatchSize, 1, trainer.Sampler, seed: 7).Epoch(1).GetEnumerator();
        using var stepContext = new StepContext(trainer.Engine, freshOptimizer: false);
        var step = stepContext.Compile(new Objective("step", Objectives.Bce));
        var times = new List<double>();
        long labeled = 0;
        for (var k = 0; k < steps + 2 && batches.MoveNext(); k++)
        {
            var batch = batches.Current;
            trainer.Rows.Set(batch.Users, batch.Items, batch.Labels, batch.LabeledCount, batch.UniqueUsers, batch.UserSlots, batch.UniqueItems, batch.ItemSlots);
            var clock = Stopwatch.StartNew();
            trainer.Engine.Step(step, trainer.Rows, 1e-3f);
            if (k < 2) continue;
            times.Add(clock.Elapsed.TotalMilliseconds);
            labeled += batch.LabeledCount;
        }
        times.Sort();
        return (times[times.Count / 2], labeled / (times.Sum() / 1000));
    }
}
