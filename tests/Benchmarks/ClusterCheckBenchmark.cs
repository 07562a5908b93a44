using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using InverseLearning.Training.Cluster;
using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Benchmarks;

/// <summary>
/// `make cluster-check` (issue 25): GMF with ns and with ig on the calibrated default feed,
/// trained by one process and by 2 workers over a local cluster of 2 silos, for the same seeds;
/// in each method's first cluster run, silo 1 is killed (kill -9) a few seconds into the first
/// epoch. Prints every run, the paired test of cluster − single test AUC per method (the
/// experiment's), and last a JSON line: single_auc, cluster_auc (means per method), silos,
/// workers, silo_killed, run_completed, updates_lost, and whether any loss is significant.
/// CLUSTER_SEEDS (default 42,43,44) and CLUSTER_DATA (default the make run's feed) change it.
/// </summary>
internal sealed class ClusterCheckBenchmark : IBenchmark
{
    private const int Silos = 2, Workers = 2;
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(3);

    public string Name => "cluster-check";

    public void Run(string workDir, TextWriter report)
    {
        var cli = CliProcess.Path();
        var data = Environment.GetEnvironmentVariable("CLUSTER_DATA") ?? Path.GetFullPath("models/default-feed-calibrated/interactions.parquet");
        if (!File.Exists(data)) CliProcess.Run(cli, $"datagen --preset default --out {Path.GetDirectoryName(data)}", null);
        var seeds = (Environment.GetEnvironmentVariable("CLUSTER_SEEDS") ?? "42,43,44").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        const string flags = "--model gmf --epochs 5 --lr 2e-3 --threads 1";
        var root = Path.Combine(workDir, "cluster-check");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        report.WriteLine($"`make cluster-check`: {data}, seeds {string.Join(",", seeds)}, {flags}; cluster: {Silos} silos, {Workers} workers, 8 shards");
        report.WriteLine();
        report.WriteLine("| method | seed | single AUC | cluster AUC | cluster − single | silo killed | shards restored | row updates lost | cluster s | single s |");
        report.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var (killedAll, completedAll, lost) = (true, true, new JsonObject());
        var (singleMeans, clusterMeans, significant) = (new JsonObject(), new JsonObject(), new JsonObject());
        foreach (var method in new[] { "ns", "ig" })
        {
            var differences = new List<double>();
            var (singles, clusters) = (new List<double>(), new List<double>());
            long methodLost = 0;
            foreach (var seed in seeds)
            {
                var single = Path.Combine(root, method, $"single-{seed}");
                var clock = Stopwatch.StartNew();
                CliProcess.Run(cli, $"train --data {data} --method {method} --seed {seed} {flags} --out {single}", null);
                var singleSeconds = clock.Elapsed.TotalSeconds;
                var kill = seed == seeds[0];
                var (cluster, killed, clusterSeconds) = RunOnCluster(cli, $"train --data {data} --method {method} --seed {seed} {flags}", Path.Combine(root, method, $"cluster-{seed}"), kill);
                var completed = File.Exists(Path.Combine(cluster, "metrics.json"));
                completedAll &= completed;
                if (kill) killedAll &= killed;
                var singleAuc = TestAuc(single);
                var account = completed ? JsonNode.Parse(File.ReadAllText(Path.Combine(cluster, "cluster.json")))! : null;
                var clusterAuc = completed ? TestAuc(cluster) : double.NaN;
                var runLost = account?["UpdatesLost"]!.GetValue<long>() ?? 0;
                methodLost += runLost;
                singles.Add(singleAuc);
                clusters.Add(clusterAuc);
                differences.Add(clusterAuc - singleAuc);
                report.WriteLine($"| {method} | {seed} | {singleAuc:F4} | {clusterAuc:F4} | {clusterAuc - singleAuc:+0.0000;-0.0000} | {(kill ? killed ? "yes" : "no (run ended first)" : "—")} | " +
                    $"{account?["ShardsRestored"]} | {runLost:N0} | {clusterSeconds:F0} | {singleSeconds:F0} |");
            }
            var paired = differences.Count >= 2 ? PairedDifference.Of(differences) : null;
            if (paired is not null)
                report.WriteLine($"\n{method}: cluster − single test AUC {paired.Mean:+0.0000;-0.0000} (95% CI {paired.CiLow:+0.0000;-0.0000} … {paired.CiHigh:+0.0000;-0.0000}, paired t p = {paired.PValue:F3}): " +
                    (paired.Significant && paired.Mean < 0 ? "a significant loss" : "no significant loss") + "\n");
            singleMeans[method] = Math.Round(singles.Average(), 4);
            clusterMeans[method] = Math.Round(clusters.Average(), 4);
            lost[method] = methodLost;
            significant[method] = paired is { Significant: true, Mean: < 0 };
        }
        var line = new JsonObject
        {
            ["single_auc"] = singleMeans, ["cluster_auc"] = clusterMeans, ["silos"] = Silos, ["workers"] = Workers,
            ["silo_killed"] = killedAll, ["run_completed"] = completedAll, ["updates_lost"] = lost, ["significant_loss"] = significant,
        };
        report.WriteLine(line.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    /// <summary>One run by <see cref="Workers"/> workers over a fresh local cluster; with <paramref name="kill"/>, silo 1 dies <see cref="KillAfter"/> after the tables are in the shards.</summary>
    private static (string Output, bool Killed, double Seconds) RunOnCluster(string cli, string train, string output, bool kill)
    {
        using var silos = LocalCluster.Start(Silos, output + "-state");
        var start = new ProcessStartInfo("dotnet", $"{cli} {train} --out {output} --cluster {silos.AddressText} --workers {Workers} --spawn-workers")
        { RedirectStandardError = true, RedirectStandardOutput = true };
        var clock = Stopwatch.StartNew();
        using var coordinator = Process.Start(start)!;
        var killed = false;
        Timer? killer = null;
        var errors = new List<string>();
        coordinator.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.Add(e.Data);
            if (kill && e.Data.Contains("tables in") && killer is null)
                killer = new Timer(_ =>
                {
                    if (coordinator.HasExited) return;
                    silos.Kill(1);
                    killed = true;
                }, null, KillAfter, Timeout.InfiniteTimeSpan);
        };
        coordinator.OutputDataReceived += (_, _) => { };
        coordinator.BeginErrorReadLine();
        coordinator.BeginOutputReadLine();
        coordinator.WaitForExit();
        killer?.Dispose();
        if (coordinator.ExitCode != 0)
            Console.Error.WriteLine($"cluster run {output} failed ({coordinator.ExitCode}): {string.Join('\n', errors.TakeLast(5))}");
        return (output, killed, clock.Elapsed.TotalSeconds);
    }

    private static double TestAuc(string run) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!["test"]!["auc"]!.GetValue<double>();
}
