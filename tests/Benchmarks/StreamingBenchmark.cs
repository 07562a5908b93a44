using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using InverseLearning.Data;
using InverseLearning.Training.Reports;

namespace InverseLearning.Benchmarks;

/// <summary>
/// Streaming training against the log held in memory (issue 23), on micro-video lakes of
/// daily partitions (datagen, cached in the work folder; STREAM_IMPRESSIONS sets their sizes,
/// default 2M and 10M): one GMF + NS epoch each way, same seed: held and streamed with the same
/// split by hash, and held with the default random split; each the CLI in a child process.
/// Reported: peak RSS and its slope per impression, labeled rows/s (training time, which for a
/// streamed run includes reading its epoch), the first pass's seconds (a held run's two passes),
/// and test AUC. Then the read rate of an epoch's pass over the largest lake
/// against DuckDB reading the same four columns of the same parts. Last, metric parity: the
/// calibrated default feed as a lake, trained to convergence both ways over 5 seeds.
/// </summary>
public sealed class StreamingBenchmark : IBenchmark
{
    public string Name => "stream";

    // The held runs read the log by two passes too (PreparedDataset.Hold); the first is the streamed run's split.
    private static readonly (string Name, string Flags, string Folder)[] Modes =
        [("held (--split hash)", "--split hash", "run-hash"), ("held (random split, the default)", "", "run-random"), ("streamed (--stream)", "--stream", "run-stream")];
    private const int HeldByHash = 0, Streamed = 2;

    public void Run(string workDir, TextWriter report)
    {
        var sizes = (Environment.GetEnvironmentVariable("STREAM_IMPRESSIONS") ?? "2000000,10000000")
            .Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var cli = CliProcess.Path();
        var results = new List<(long Rows, int Mode, long Peak, double RowsPerSecond, double FirstPass, double Auc)>();
        report.WriteLine("| impressions | rows read | run | peak RSS (MB) | labeled rows/s | read or first pass (s) | test AUC | run seconds |");
        report.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|");
        string lake = "";
        foreach (var impressions in sizes)
        {
            var dir = Path.Combine(workDir, $"micro-video-{impressions / 1_000_000}m-days");
            lake = Path.Combine(dir, "interactions");
            if (!Directory.Exists(lake))
                CliProcess.Run(cli, $"datagen --preset micro-video --impressions {impressions} --partition-by day --out {dir}", null);
            var rows = LogDataset.Open(lake).CountRows();
            for (var mode = 0; mode < Modes.Length; mode++)
            {
                var run = Path.Combine(dir, Modes[mode].Folder);
                if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
                var clock = Stopwatch.StartNew();
                var (peak, output) = CliProcess.Run(cli, $"train --data {lake} --model gmf --method ns --epochs 1 --seed 42 --out {run} {Modes[mode].Flags}",
                    Path.Combine(dir, "peak-rss-kib.txt"));
                var seconds = clock.Elapsed.TotalSeconds;
                var rate = Number(Regex.Match(output, @"([\d,]+) labeled rows/s").Groups[1].Value);
                var firstPass = Regex.Matches(output, @"(?:first pass over|reading) .* 100% \(.*\), ([\d.]+) s") is { Count: > 0 } passes ? Number(passes[^1].Groups[1].Value) : double.NaN;
                var auc = MetricsJson.Read(Path.Combine(run, MetricsJson.FileName)).Test.Auc;
                results.Add((rows, mode, peak, rate, firstPass, auc));
                report.WriteLine($"| {impressions:N0} | {rows:N0} | {Modes[mode].Name} | {peak / 1e6:N0} | {rate:N0} | {(double.IsNaN(firstPass) ? "–" : firstPass.ToString("F1"))} | {auc:F4} | {seconds:F0} |");
            }
        }
        report.WriteLine();
        for (var mode = 0; mode < Modes.Length; mode++)
        {
            var (first, last) = (results.First(r => r.Mode == mode), results.Last(r => r.Mode == mode));
            if (first.Rows == last.Rows) continue;
            report.WriteLine($"- {Modes[mode].Name}: **{(double)(last.Peak - first.Peak) / (last.Rows - first.Rows):F1} resident bytes per impression** (slope of peak RSS; goal ≤ 8 streamed, ≤ 16 held)");
        }
        var largest = results.Where(r => r.Rows == results.Max(x => x.Rows)).ToList();
        report.WriteLine($"- labeled rows/s, streamed ÷ held (by hash) on the largest lake: **{largest.Single(r => r.Mode == Streamed).RowsPerSecond / largest.Single(r => r.Mode == HeldByHash).RowsPerSecond:P0}** (goal ≥ 80 %)");
        report.WriteLine();
        ReadRate(lake, report);
        report.WriteLine();
        Parity(workDir, cli, report);
    }

    /// <summary>
    /// Streamed and held training reach the same quality: GMF + NS, 10 epochs at lr 1e-3 on the
    /// default feed (datagen --partition-by day), seeds 1–5, the same seed giving both runs the
    /// same split and initialisation; only the batch order differs (a bounded shuffle of drawn row
    /// groups against a full shuffle). Reported: clean test AUC (against the simulator's truth) per
    /// seed, the mean paired difference and its standard error.
    /// </summary>
    private static void Parity(string workDir, string cli, TextWriter report)
    {
        var dir = Path.Combine(workDir, "default-days");
        var lake = Path.Combine(dir, "interactions");
        if (!Directory.Exists(lake)) CliProcess.Run(cli, $"datagen --preset default --partition-by day --out {dir}", null);
        var differences = new List<double>();
        report.WriteLine("| seed | held clean-test AUC | streamed clean-test AUC | streamed − held |");
        report.WriteLine("|---:|---:|---:|---:|");
        for (var seed = 1; seed <= 5; seed++)
        {
            double CleanAuc(string mode)
            {
                var run = Path.Combine(dir, $"run-{mode}-{seed}");
                CliProcess.Run(cli, $"train --data {lake} --model gmf --method ns --epochs 10 --lr 0.001 --seed {seed} --out {run} --{(mode == "stream" ? "stream" : "split hash")}", null);
                return (double)MetricsJson.Read(Path.Combine(run, MetricsJson.FileName)).Extra["clean_test"]!["auc"]!;
            }
            var (held, streamed) = (CleanAuc("hash"), CleanAuc("stream"));
            differences.Add(streamed - held);
            report.WriteLine($"| {seed} | {held:F4} | {streamed:F4} | {streamed - held:+0.0000;-0.0000} |");
        }
        var mean = differences.Average();
        var se = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (differences.Count - 1) / differences.Count);
        report.WriteLine();
        report.WriteLine($"mean difference {mean:+0.0000;-0.0000} ± {se:F4} (standard error, paired over seeds; t = {mean / se:F2})");
    }

    /// <summary>Rows/s of one streamed epoch's pass (read, label, split, encode, shuffle) against DuckDB summing the same columns; the faster of two rounds each.</summary>
    private static void ReadRate(string lake, TextWriter report)
    {
        var source = new LakeSource(LogDataset.Open(lake), new ReadOptions(), new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 42, ByHash: true));
        var data = PreparedDataset.Stream(source, FeedbackOptions.Default, middleBand: false, shuffleBuffer: 1 << 20);
        var rows = LogDataset.Open(lake).CountRows();
        double Ours()
        {
            var clock = Stopwatch.StartNew();
            foreach (var _ in data.TrainRows.Batches(4096, 0, null, seed: 1).Epoch(0)) { }
            return rows / clock.Elapsed.TotalSeconds;
        }
        double DuckDb()
        {
            using var db = new DuckDBConnection("DataSource=:memory:");
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = $"SELECT sum(user_id), sum(item_id), sum(play_time_ms), sum(duration_ms) FROM read_parquet('{lake}/**/*.parquet')";
            var clock = Stopwatch.StartNew();
            command.ExecuteScalar();
            return rows / clock.Elapsed.TotalSeconds;
        }
        var ours = Math.Max(Ours(), Ours());
        var duck = Math.Max(DuckDb(), DuckDb());
        report.WriteLine($"read rate over {rows:N0} rows ({lake}): a streamed epoch's pass {ours / 1e6:F2}M rows/s, DuckDB {duck / 1e6:F2}M rows/s: **{ours / duck:P0} of DuckDB**");
    }

    private static double Number(string text) => double.Parse(text.Replace(",", ""), CultureInfo.InvariantCulture);
}
