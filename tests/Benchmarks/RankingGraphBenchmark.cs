using System.Diagnostics;
using System.Text.Json.Nodes;
using InverseLearning.Benchmarks.Serving;

namespace InverseLearning.Benchmarks;

/// <summary>
/// `make bench ARGS=ranking-graph`: where raw ONNX Runtime spends a Rank's scoring, node by node, in the model `ranking`
/// serves (GMF, 3k users × 10k items × dim 32, written by the real exporter), one intra-op thread: µs per 100 rows
/// as 100-row runs (one Rank alone) and as 4,000-row runs (the server's micro-batcher coalesces about 40 concurrent Ranks
/// per run at 64 streams), and the 4,000-row runs node by node from ORT's own profile, with the nodes that read only the
/// user id (the user's lookup: what a graph that looked each request's user up once could save at most) summed apart.
/// </summary>
public sealed class RankingGraphBenchmark : IBenchmark
{
    private static readonly int[] RequestsPerRun = [1, 40];
    private const int ProfiledRequestsPerRun = 40;
    private const int Candidates = RankingLoadBenchmark.Candidates, TimedRows = 4_000_000, ProfiledRows = 1_000_000;

    public string Name => "ranking-graph";

    public void Run(string workDir, TextWriter report)
    {
        var model = RankingLoadBenchmark.CreateModel(workDir);
        var timed = RequestsPerRun.Select(r => MicrosPer100Rows(model, r, profile: null, out _, out _)).ToArray();
        report.WriteLine($"Raw ORT, one session, 1 intra-op thread, µs per 100 rows: {string.Join("; ", RequestsPerRun.Select((r, s) => $"{timed[s]:F2} as {r * Candidates:N0}-row runs"))} (timed without the profiler).");

        // ORT's profiler costs a few µs per node and run, more than a node of a 100-row run takes: only the batched runs are profiled.
        var folder = Path.Combine(workDir, "ranking-graph");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        MicrosPer100Rows(model, ProfiledRequestsPerRun, Path.Combine(folder, "ort"), out var trace, out var profiledRows);
        var userOnly = UserOnlyNodes(File.ReadAllBytes(model.Path));
        var nodes = NodeTimes(trace!).Select(n => (n.Node, n.Op, Micros: n.Micros * 100 / profiledRows)).OrderByDescending(n => n.Micros).ToList();
        report.WriteLine();
        report.WriteLine($"| node (ORT's profile, {ProfiledRequestsPerRun * Candidates:N0}-row runs) | op | reads only user_id | µs per 100 rows |");
        report.WriteLine("|---|---|---|---:|");
        foreach (var (node, op, micros) in nodes)
            report.WriteLine($"| {node} | {op} | {(userOnly.Contains(node) ? "yes" : "")} | {micros:F2} |");
        var user = nodes.Where(n => userOnly.Contains(n.Node)).Sum(n => n.Micros);
        var all = nodes.Sum(n => n.Micros);
        report.WriteLine($"| **the user's lookup** (the nodes that read only user_id) | | | **{user:F2}** of {all:F2} ({user / all:P0}) |");
    }

    /// <summary>Nodes (by the name ORT's profile gives them) whose inputs come from user_id alone, through initializers and other such nodes.</summary>
    private static HashSet<string> UserOnlyNodes(byte[] modelBytes)
    {
        var graph = Onnx.ModelProto.Parser.ParseFrom(modelBytes).Graph;
        var constants = graph.Initializer.Select(i => i.Name).ToHashSet();
        var fromUser = new HashSet<string> { "user_id" };
        var nodes = new HashSet<string>();
        foreach (var node in graph.Node) // topological order, as ONNX requires
        {
            var inputs = node.Input.Where(i => i.Length > 0).ToList();
            if (!inputs.All(i => fromUser.Contains(i) || constants.Contains(i)) || !inputs.Any(fromUser.Contains)) continue;
            nodes.Add(node.Name);
            fromUser.UnionWith(node.Output);
        }
        return nodes;
    }

    /// <summary>
    /// Scores the benchmark's requests, <paramref name="requestsPerRun"/> to a run, for about <see cref="TimedRows"/> rows (fewer when profiled,
    /// into <paramref name="trace"/>: every run, the warm-up's too, <paramref name="profiledRows"/> rows); µs per 100 rows after the warm-up.
    /// </summary>
    private static double MicrosPer100Rows(BenchModel model, int requestsPerRun, string? profile, out string? trace, out long profiledRows)
    {
        using var raw = new RawOrtRuns(model, requestsPerRun, Candidates, ["score", "user_known", "item_known"], profile);
        var rows = raw.Rows;
        var runs = (profile is null ? TimedRows : ProfiledRows) / rows;
        var warmRuns = runs / 4;
        for (var warm = 0; warm < warmRuns; warm++) raw.RunOnce();
        var clock = Stopwatch.StartNew();
        for (var run = 0; run < runs; run++) raw.RunOnce();
        var micros = clock.Elapsed.TotalMicroseconds * 100 / ((long)runs * rows);
        trace = profile is null ? null : raw.EndProfiling();
        profiledRows = (long)(warmRuns + runs) * rows;
        return micros;
    }

    private static IEnumerable<(string Node, string Op, double Micros)> NodeTimes(string trace) =>
        JsonNode.Parse(File.ReadAllText(trace))!.AsArray()
            .Where(e => (string?)e?["cat"] == "Node" && ((string?)e["name"] ?? "").EndsWith("_kernel_time", StringComparison.Ordinal))
            .GroupBy(e => ((string)e!["name"]!)[..^"_kernel_time".Length])
            .Select(g => (g.Key, (string?)g.First()!["args"]?["op_name"] ?? "?", g.Sum(e => (double?)e!["dur"] ?? 0)));
}
