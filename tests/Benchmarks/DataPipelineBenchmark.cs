using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Benchmarks;

/// <summary>
/// The data half of the pipeline at the paper's Micro-Video scale (the simulator's
/// micro-video preset, 9.46M rows, cached in the work folder): read + label + split +
/// vocabulary time and peak memory (goal: under 15 s and 1.5 GB), then unlabeled-sampler
/// and batch-iterator throughput. Peak memory is the process's high-water mark, reset
/// after generating the log when the kernel allows it (/proc/self/clear_refs). Last, the
/// same log as a lake of 12 daily Hive partitions against the single file: peak memory
/// of reading each (goal: partitions no more than one file). Then the resident bytes per
/// impression of whole training runs (<see cref="PreparedLogSlope"/>).
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

        // What a training run does: the streamed read into a compact log, then the split (issue 23).
        var total = Stopwatch.StartNew();
        var compact = LogDataset.Open(path).ReadCompact(new ReadOptions(), new LabelingOptions(LabelRule.FinishRate), FeedbackOptions.Default);
        var read = total.Elapsed;
        var rows = compact.Count;
        var data = PreparedDataset.Prepare(compact, new SplitOptions());
        var pipeline = total.Elapsed;
        var peak = PeakBytes();

        report.WriteLine($"log: {rows:N0} rows, {data.Users.Count - 1:N0} users, {data.Items.Count - 1:N0} items, {data.UnlabeledRowCount:N0} unlabeled, train/valid/test {data.Train.Count:N0}/{data.Valid.Count:N0}/{data.Test.Count:N0}");
        report.WriteLine();
        report.WriteLine("| stage | seconds |");
        report.WriteLine("|---|---:|");
        report.WriteLine($"| read Parquet into a compact log (label, encode ids, row group by row group) | {read.TotalSeconds:F2} |");
        report.WriteLine($"| split + seen index | {(pipeline - read).TotalSeconds:F2} |");
        report.WriteLine($"| **read + label + split + vocabulary** | **{pipeline.TotalSeconds:F2}** (goal < 15) |");
        report.WriteLine();
        var where = peakReset ? "high-water mark reset after generation" : generated ? "includes generating the log: rerun for the pipeline alone" : "fresh process";
        report.WriteLine($"peak memory (resident): {peak / 1e9:F2} GB (goal < 1.5; {where}); the prepared dataset holds {data.ResidentBytes / 1e6:N0} MB, {(double)data.ResidentBytes / rows:F1} bytes per row");
        report.WriteLine();
        Breakdown(report, InteractionLogParquet.Read(path));
        Throughput(report, data);
        report.WriteLine();
        PartitionedRead(report, path, Path.Combine(workDir, "micro-video-12-days"));
        report.WriteLine();
        PreparedLogSlope.Run(workDir, report);
    }

    /// <summary>
    /// The paper's log covers 12 days; the simulator spreads users over 30, so the lake is
    /// the same rows with timestamps mapped linearly onto 12 days (order kept), written
    /// one partition per day. Each read is measured from a collected heap with the
    /// high-water mark reset; two rounds in alternating order show any order effect.
    /// </summary>
    private static void PartitionedRead(TextWriter report, string file, string lake)
    {
        if (!Directory.Exists(lake))
        {
            var log = InteractionLogParquet.Read(file);
            var ts = log.TimestampMs!;
            long min = ts.Min(), span = Math.Max(1, ts.Max() - min), twelveDays = 12L * 86_400_000 - 1;
            var start = min / 86_400_000 * 86_400_000;
            for (var r = 0; r < ts.Length; r++) ts[r] = start + (long)((double)(ts[r] - min) / span * twelveDays);
            SimulationFiles.Replace(lake, staging => DayPartitionedWriter.WriteDays(log, lake, staging, DayPartitionedWriter.PartFileName, metadata: null));
        }
        var dataset = LogDataset.Open(lake);
        report.WriteLine($"lake: {dataset.Parts.Count} daily partitions of the same {dataset.CountRows():N0} rows ({lake})");
        report.WriteLine();
        report.WriteLine("| read | round | seconds | peak RSS (GB) | peak above the heap before (GB) |");
        report.WriteLine("|---|---:|---:|---:|---:|");
        for (var round = 1; round <= 2; round++)
            foreach (var partitioned in round == 1 ? new[] { false, true } : [true, false])
            {
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                var before = ResidentBytes();
                ResetPeak();
                var clock = Stopwatch.StartNew();
                var rows = partitioned ? dataset.Read().Log.Count : InteractionLogParquet.Read(file).Count;
                var seconds = clock.Elapsed.TotalSeconds;
                var peak = PeakBytes();
                report.WriteLine($"| {(partitioned ? $"{dataset.Parts.Count} partitions" : "one file")} ({rows:N0} rows) | {round} | {seconds:F2} | {peak / 1e9:F2} | {(peak - before) / 1e9:F2} |");
            }
    }

    private static long ResidentBytes() => StatusBytes("VmRSS:") ?? Environment.WorkingSet;

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

    private static long PeakBytes() => StatusBytes("VmHWM:") ?? Process.GetCurrentProcess().PeakWorkingSet64;

    private static long? StatusBytes(string field)
    {
        if (File.Exists("/proc/self/status"))
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return null;
    }
}
