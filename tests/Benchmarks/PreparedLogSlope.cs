using System.Diagnostics;
using InverseLearning.Data;

namespace InverseLearning.Benchmarks;

/// <summary>
/// Resident bytes per impression of a training run (issue 23): the slope of the peak RSS of
/// one GMF + NS epoch between two micro-video logs of 2M and 10M impressions with the same
/// users and items, written as daily partitions by the CLI's datagen (cached in the work
/// folder). Each run is the CLI in a child process, its peak RSS the kernel's (/usr/bin/time
/// -f %M), so everything a run holds counts: reading, preparation, training, evaluation, export.
/// </summary>
internal static class PreparedLogSlope
{
    private static readonly int[] Impressions = [2_000_000, 10_000_000];

    public static void Run(string workDir, TextWriter report)
    {
        var cli = CliProcess.Path();
        var peaks = new List<(long Rows, long PeakBytes)>();
        report.WriteLine("| impressions | rows read | peak RSS (MB) | run seconds |");
        report.WriteLine("|---:|---:|---:|---:|");
        foreach (var impressions in Impressions)
        {
            var dir = Path.Combine(workDir, $"micro-video-{impressions / 1_000_000}m-days");
            if (!Directory.Exists(Path.Combine(dir, "interactions")))
                CliProcess.Run(cli, $"datagen --preset micro-video --impressions {impressions} --partition-by day --out {dir}", null);
            var rows = LogDataset.Open(Path.Combine(dir, "interactions")).CountRows();
            var run = Path.Combine(dir, "run");
            if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
            var clock = Stopwatch.StartNew();
            var (peak, _) = CliProcess.Run(cli, $"train --data {Path.Combine(dir, "interactions")} --model gmf --method ns --epochs 1 --seed 42 --out {run}",
                Path.Combine(dir, "peak-rss-kib.txt"));
            report.WriteLine($"| {impressions:N0} | {rows:N0} | {peak / 1e6:N0} | {clock.Elapsed.TotalSeconds:F0} |");
            peaks.Add((rows, peak));
        }
        var slope = (double)(peaks[1].PeakBytes - peaks[0].PeakBytes) / (peaks[1].Rows - peaks[0].Rows);
        report.WriteLine();
        report.WriteLine($"**resident bytes per impression (slope of peak RSS): {slope:F1}** (goal ≤ 16; 101 before issue 23)");
    }
}
