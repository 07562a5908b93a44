using System.Diagnostics;
using Grpc.Net.Client;
using InverseLearning.Benchmarks.Serving;
using InverseLearning.Serving;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using InverseLearning.V1;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Benchmarks;

/// <summary>
/// The figures CAPACITY.md stands on. Training memory per user and per item, for each
/// model with Adam (two state slots): computed from the parameter shapes, and measured as
/// the resident-memory growth of a parameter store of 400k rows on one side. Serving
/// memory: a ranking server over GMF exports at two catalogue sizes (the slope is bytes
/// per served user+item row), with the resident size an idle replica starts at.
/// </summary>
public sealed class CapacityBenchmark : IBenchmark
{
    private const int Dim = 32, Layers = 3, AdamSlots = 2, Rows = 400_000;

    public string Name => "capacity";

    public void Run(string workDir, TextWriter report)
    {
        report.WriteLine($"Training state per row, dim {Dim}, {Layers} MLP layers, Adam ({AdamSlots} state slots per parameter), float32:");
        report.WriteLine();
        report.WriteLine("| model | bytes/user (shapes) | bytes/user (RSS) | bytes/item (shapes) | bytes/item (RSS) | dense parameters |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var name in ModelRegistry.Names)
        {
            var model = ModelRegistry.Create(name, Dim, Layers);
            var perUser = model.Embeddings.Where(e => e.Side == TableSide.User).Sum(e => e.Dim) * 4L * (1 + AdamSlots);
            var perItem = model.Embeddings.Where(e => e.Side == TableSide.Item).Sum(e => e.Dim) * 4L * (1 + AdamSlots);
            var dense = model.Dense.Sum(d => d.Shape.Aggregate(1L, (a, b) => a * b));
            report.WriteLine($"| {name} | {perUser} | {MeasuredPerRow(model, users: true):F0} | {perItem} | {MeasuredPerRow(model, users: false):F0} | {dense:N0} |");
        }
        report.WriteLine();
        ServingMemory(workDir, report).GetAwaiter().GetResult();
    }

    /// <summary>RSS growth per row of a store with <see cref="Rows"/> rows on one side, every value and state page touched (as training touches them).</summary>
    private static double MeasuredPerRow(IRecommender model, bool users)
    {
        Collect();
        var before = ResidentBytes();
        var store = new HostParameterStore(model, users ? Rows + 1 : 1, users ? 1 : Rows + 1, AdamSlots, seed: 1);
        foreach (var buffer in store.All)
            foreach (var state in buffer.State) Array.Fill(state, 0f);
        var grown = ResidentBytes() - before;
        GC.KeepAlive(store);
        return (double)grown / Rows;
    }

    private static async Task ServingMemory(string workDir, TextWriter report)
    {
        report.WriteLine("Serving (GMF export, dim 32, in this process; RSS after load and 2,000 Rank calls of 100 candidates):");
        report.WriteLine();
        report.WriteLine("| users | items | model.onnx MB | RSS growth MB | bytes per user+item row |");
        report.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var (users, items) in new[] { (37_692, 131_690), (200_000, 1_000_000) })
        {
            var model = BenchModel.Create(Path.Combine(workDir, $"capacity-{users}x{items}"), users, items, Dim, candidates: 100, requestCount: 64, seed: 3);
            Collect();
            var before = ResidentBytes();
            await using (var server = await RankingServer.StartAsync(["--model", model.Path, "--port", "0", "--metrics-port", "-1", "--no-watch"], builder => builder.Logging.ClearProviders()))
            {
                using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
                var client = new Ranker.RankerClient(channel);
                for (var n = 0; n < 2_000; n++)
                {
                    var request = new RankRequest { UserId = model.UserIds[n % model.UserIds.Length], TopK = 10 };
                    request.CandidateItemIds.AddRange(model.Requests[n % model.Requests.Length]);
                    await client.RankAsync(request);
                }
                var grown = ResidentBytes() - before;
                var fileMb = new FileInfo(model.Path).Length / 1e6;
                report.WriteLine($"| {users:N0} | {items:N0} | {fileMb:F0} | {grown / 1e6:F0} | {(double)grown / (users + items):F0} |");
            }
        }
        report.WriteLine();
        report.WriteLine($"this process's RSS at the end (runtime, gRPC, ORT loaded): {ResidentBytes() / 1e6:F0} MB");
    }

    private static void Collect() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return Process.GetCurrentProcess().WorkingSet64;
    }
}
