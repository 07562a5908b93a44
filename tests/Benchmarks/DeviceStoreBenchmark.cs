using System.Diagnostics;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Benchmarks;

/// <summary>
/// The device store (<see cref="DeviceParameterStore"/>) on <c>BENCH_DEVICE</c> (cpu unless set;
/// the GPU check sets cuda). First, what ScatterND's write-back costs: 1,024 rows pushed into
/// tables of 10k and 1M rows, with the output bound to the table itself (in place: the cost must
/// follow the rows) and to another buffer (a full copy first: the cost follows the table).
/// Then GMF and NeuMF steps with the host store against the device store, at batch 1,024 and 16,384.
/// </summary>
public sealed class DeviceStoreBenchmark : IBenchmark
{
    public string Name => "device-store";

    public static ExecutionDevice BenchDevice => new(Environment.GetEnvironmentVariable("BENCH_DEVICE") ?? "cpu", Math.Min(Environment.ProcessorCount, 16));

    public void Run(string workDir, TextWriter report)
    {
        var device = BenchDevice;
        report.WriteLine($"Device: {device.Name}, {device.Threads} threads. µs per write-back of 1,024 rows × 32 floats (median of 9 blocks of 20):");
        report.WriteLine();
        report.WriteLine("| table rows | in place µs | to another buffer µs |");
        report.WriteLine("|---:|---:|---:|");
        foreach (var rows in new[] { 10_000, 1_000_000 })
            report.WriteLine($"| {rows:N0} | {PushMicroseconds(device, rows, inPlace: true):F1} | {PushMicroseconds(device, rows, inPlace: false):F1} |");
        report.WriteLine();
        report.WriteLine("Training steps (BCE, one unlabeled row per labeled row, 100k items), host store vs device store on the same device:");
        report.WriteLine();
        report.WriteLine("| model | batch | host store rows/s | device store rows/s | device / host |");
        report.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var model in new[] { "gmf", "neumf" })
            foreach (var batch in new[] { 1_024, 16_384 })
            {
                var host = StepRowsPerSecond(model, batch, device, deviceStore: false);
                var resident = StepRowsPerSecond(model, batch, device, deviceStore: true);
                report.WriteLine($"| {model} | {batch:N0} | {host:N0} | {resident:N0} | {resident / host:F2} |");
            }
        report.WriteLine();
        report.WriteLine("ORT's profile of 5 GMF steps at batch 1,024 on the device store (pull, step and push graphs):");
        report.WriteLine(StepProfile.Of("gmf", 1_024, device, workDir).ToJsonString());
    }

    /// <summary>Median µs to write 1,024 rows back into a <paramref name="tableRows"/> × 32 table with the store's push graph.</summary>
    public static double PushMicroseconds(ExecutionDevice device, int tableRows, bool inPlace)
    {
        const int Rows = 1_024, Width = 32;
        var arena = DeviceArena.For(device);
        var info = new ParameterInfo("table", [tableRows, Width], TableSide.Item, false);
        using var table = arena.Allocate((long)tableRows * Width, "table");
        using var other = inPlace ? null : arena.Allocate((long)tableRows * Width, "output");
        using var updates = arena.Allocate(Rows * Width, "updates");
        arena.Zero(table);
        using var push = new GraphSession(StoreRowGraphs.Push([info], stateSlots: 0, withState: false), device);
        var rng = new Random(3);
        var indices = Enumerable.Range(0, tableRows).OrderBy(_ => rng.Next()).Take(Rows).Select(i => (long)i).ToArray();
        push.Input(StoreRowGraphs.Indices(TableSide.Item), indices, Rows);
        push.Input(StoreRowGraphs.Table(0, 0), table, info.Shape);
        push.Input(StoreRowGraphs.Updated(0, 0), updates, Rows, Width);
        push.Output(StoreRowGraphs.Written(0, 0), other ?? table, info.Shape);
        return MedianMicroseconds(push.Run, blocks: 9, perBlock: 20);
    }

    /// <summary>Labeled rows per second of plain BCE steps on <paramref name="device"/> (median block), the tables in the host or the device store.</summary>
    public static double StepRowsPerSecond(string model, int batch, ExecutionDevice device, bool deviceStore)
    {
        using var setup = new EngineSetup(model, 100_000, 10_000, batch, device, deviceStore);
        using var context = new StepContext(setup.Engine, freshOptimizer: false) { LearningRate = 1e-3f, Epoch = 1 };
        var bce = new Objective("labeled-bce", Objectives.LabeledBce);
        var micros = MedianMicroseconds(() =>
        {
            setup.NextBatch();
            PlainStep.Instance.Step(context, setup.Rows, bce);
        }, blocks: 5, perBlock: batch >= 16_384 ? 4 : 20);
        return batch / (micros / 1e6);
    }

    internal static double MedianMicroseconds(Action run, int blocks, int perBlock)
    {
        for (var w = 0; w < 3; w++) run();
        var times = new List<double>();
        for (var b = 0; b < blocks; b++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < perBlock; i++) run();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds / perBlock);
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}
