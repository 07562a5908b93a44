using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Benchmarks;

/// <summary>
/// The data half of the pipeline at the paper's Micro-Video scale (the simulator's
/// micro-video preset, 9.46M rows, cached in the work folder): read + label + split +
/// vocabulary time and peak memory (goal: under 15 s and 1.5 GB), then unlabeled-sampler
/// and batch-iterator throughput. Peak memory is the process's high-water mark, reset
/// after generating the log when the kernel allows it (/proc/self/clear_refs).
/// </summary>
public sealed class DataPipelineBenchmark : IBenchmark
{
    public string Name => "data";

    public void Run(string workDir, TextWriter report)
    {
        var path = Path.Combine(workDir, "micro-video", "interactions.parquet");
        var generated = false;
        if (!File.Exists(path))
        {
            var clock = Stopwatch.StartNew();
            var result = FeedSimulator.Run(SimulatorPresets.Get("micro-video"), seed: 1);
            InteractionLogParquet.Write(result.Log, path);
            report.WriteLine($"generated {path} ({result.Log.Count:N0} rows) in {clock.Elapsed.TotalSeconds:F1} s");
            generated = true;
        }
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var peakReset = ResetPeak();

        var total = Stopwatch.StartNew();
        var log = InteractionLogParquet.Read(path);
        var read = total.Elapsed;
        var data = PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions());
        var pipeline = total.Elapsed;
        var peak = PeakBytes();

        report.WriteLine($"log: {log.Count:N0} rows, {data.Users.Count - 1:N0} users, {data.Items.Count - 1:N0} items, {data.UnlabeledRowCount:N0} unlabeled, train/valid/test {data.Train.Count:N0}/{data.Valid.Count:N0}/{data.Test.Count:N0}");
        report.WriteLine();
        report.WriteLine("| stage | seconds |");
        report.WriteLine("|---|---:|");
        report.WriteLine($"| read Parquet | {read.TotalSeconds:F2} |");
        report.WriteLine($"| label + vocabulary + seen index + split | {(pipeline - read).TotalSeconds:F2} |");
        report.WriteLine($"| **read + label + split + vocabulary** | **{pipeline.TotalSeconds:F2}** (goal < 15) |");
        report.WriteLine();
        var where = peakReset ? "high-water mark reset after generation" : generated ? "includes generating the log: rerun for the pipeline alone" : "fresh process";
        report.WriteLine($"peak memory (resident): {peak / 1e9:F2} GB (goal < 1.5; {where})");
        report.WriteLine();
        Breakdown(report, log);
        GC.KeepAlive(log);
        Throughput(report, data);
    }

    private static void Breakdown(TextWriter report, InteractionLog log)
    {
        var clock = Stopwatch.StartNew();
        Labeler.Label(log, new LabelingOptions(LabelRule.FinishRate));
        var label = clock.Elapsed;
        clock.Restart();
        var users = Vocabulary.Build(log.UserId, out var userIndex);
        var items = Vocabulary.Build(log.ItemId, out var itemIndex);
        var vocabulary = clock.Elapsed;
        clock.Restart();
        InteractionIndex.Build(userIndex, itemIndex, users.Count);
        var index = clock.Elapsed;
        report.WriteLine($"breakdown (each repeated alone): label {label.TotalSeconds:F2} s, vocabularies + id encoding {vocabulary.TotalSeconds:F2} s ({users.Count - 1:N0} users, {items.Count - 1:N0} items), seen-pairs index {index.TotalSeconds:F2} s");
        report.WriteLine();
    }

    private static void Throughput(TextWriter report, PreparedDataset data)
    {
        var sampler = new UnseenItemSampler(data.Seen, data.Items.Count);
        var random = new Random(1);
        var output = new int[1024];
        var samples = 0L;
        var clock = Stopwatch.StartNew();
        for (var start = 0; clock.Elapsed < TimeSpan.FromSeconds(3); start = (start + 1024) % (data.Train.Count - 1024))
        {
            sampler.Sample(data.Train.Users.AsSpan(start, 1024), 1, output, random);
            samples += 1024;
        }
        report.WriteLine($"unlabeled sampler: {samples / clock.Elapsed.TotalSeconds / 1e6:F1} M samples/s (1 thread, {data.Items.Count - 1:N0} items)");

        var iterator = new BatchIterator(data.Train, batchSize: 1024, ng: 1, sampler, seed: 1);
        clock.Restart();
        var rows = 0L;
        foreach (var batch in iterator.Epoch(0)) rows += batch.Count;
        report.WriteLine($"batch iterator (batch 1024, ng 1, unique ids): {rows / clock.Elapsed.TotalSeconds / 1e6:F1} M rows/s, one epoch of {data.Train.Count:N0} labeled rows in {clock.Elapsed.TotalSeconds:F2} s");
    }

    /// <summary>Resets the kernel's resident high-water mark (Linux ≥ 4.0); false where that is not possible.</summary>
    private static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long PeakBytes()
    {
        if (File.Exists("/proc/self/status"))
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
