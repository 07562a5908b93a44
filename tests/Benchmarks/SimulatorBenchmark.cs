using System.Diagnostics;
using System.Globalization;
using InverseLearning.Data;
using InverseLearning.Data.Import;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Benchmarks;

/// <summary>
/// Feed simulator speed: generation time and rows/s of the `default` and `micro-video`
/// presets (seed 1), plus writing the micro-video log with its ground truth. The micro-video
/// files are kept in WORKDIR/micro-video/ for the data-pipeline benchmark to read.
/// Also the importer's speed on a MovieLens-style file made from a rating-mode simulation.
/// </summary>
public sealed class SimulatorBenchmark : IBenchmark
{
    private const int Seed = 1;
    private const int DefaultRepeats = 3;
    private const int ImportImpressions = 2_000_000;

    /// <summary>Where the cached micro-video log (interactions.parquet + ground truth) lives under the bench folder.</summary>
    public static string MicroVideoDir(string workDir) => Path.Combine(workDir, "micro-video");

    public string Name => "simulator";

    public void Run(string workDir, TextWriter report)
    {
        // Warm-up: JIT and thread pool, so the first measured run is not penalised.
        FeedSimulator.Run(SimulatorPresets.Get("tiny"), Seed);

        report.WriteLine("| preset | rows | generate (s) | rows/s |");
        report.WriteLine("|---|---:|---:|---:|");
        var best = TimeSpan.MaxValue;
        var rows = 0;
        for (var k = 0; k < DefaultRepeats; k++)
        {
            var (result, elapsed) = Timed(() => FeedSimulator.Run(SimulatorPresets.Get("default"), Seed));
            rows = result.Log.Count;
            if (elapsed < best) best = elapsed;
        }
        Row(report, $"default (best of {DefaultRepeats})", rows, best);

        var (micro, microElapsed) = Timed(() => FeedSimulator.Run(SimulatorPresets.Get("micro-video"), Seed));
        Row(report, "micro-video", micro.Log.Count, microElapsed);
        report.WriteLine();
        report.WriteLine($"Peak working set after generating micro-video: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GB");

        MeasureImport(workDir, report);

        var dir = MicroVideoDir(workDir);
        var parquet = Path.Combine(dir, SimulationFiles.InteractionsFileName);
        if (File.Exists(parquet) && GroundTruth.Exists(dir))
        {
            report.WriteLine($"micro-video log already cached in {dir} (not rewritten).");
            return;
        }
        var (_, writeElapsed) = Timed(() => { SimulationFiles.Write(micro, dir); return 0; });
        report.WriteLine($"Writing micro-video interactions.parquet + ground truth to {dir}: {writeElapsed.TotalSeconds:F1} s "
                         + $"({new FileInfo(parquet).Length / (1024.0 * 1024):F0} MB log).");
    }

    /// <summary>Writes a user::item::rating::ts file once (cached), then times reading it back.</summary>
    private static void MeasureImport(string workDir, TextWriter report)
    {
        var path = Path.Combine(workDir, "ratings-2m.dat");
        if (!File.Exists(path))
        {
            var o = SimulatorPresets.Get("default") with { Feedback = FeedbackKind.Rating, Users = 10_000, Items = 20_000, Impressions = ImportImpressions };
            var log = FeedSimulator.Run(o, Seed).Log;
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                for (var row = 0; row < log.Count; row++)
                    writer.Write(string.Create(CultureInfo.InvariantCulture,
                        $"{log.UserId[row]}::{log.ItemId[row]}::{log.Rating!.Values[row]}::{log.TimestampMs![row] / 1000}\n"));
            });
        }
        var (imported, elapsed) = Timed(() => RatingsImporter.Read([new RatingsInput(path)]));
        report.WriteLine();
        report.WriteLine($"import-ratings (read only, user::item::rating::ts, {new FileInfo(path).Length / (1024.0 * 1024):F0} MB): "
                         + $"{imported.Count:N0} rows in {elapsed.TotalSeconds:F2} s = {imported.Count / elapsed.TotalSeconds:N0} rows/s");
    }

    private static void Row(TextWriter report, string preset, int rows, TimeSpan elapsed) =>
        report.WriteLine($"| {preset} | {rows:N0} | {elapsed.TotalSeconds:F2} | {rows / elapsed.TotalSeconds:N0} |");

    private static (T Result, TimeSpan Elapsed) Timed<T>(Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        var result = work();
        return (result, clock.Elapsed);
    }
}
