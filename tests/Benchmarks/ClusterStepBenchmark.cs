using InverseLearning.Training.Cluster;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;

namespace InverseLearning.Benchmarks;

/// <summary>
/// What a step costs with its tables in shards (issue 25): plain BCE steps (one unlabeled row
/// per labeled row, 40k users, 100k items, dim 32) with the host store against the sharded store
/// on a local cluster of 2 silo processes (8 shards unless CLUSTER_SHARDS says, a snapshot every 1,000 pushes), in one run.
/// Per step: wall time, time waiting on pulls and on pushes, payload bytes each way. On this
/// 2-core machine the silos share the cores with the trainer: the figures are what the protocol
/// and serialization cost, not what separate machines would see over a network.
/// </summary>
public sealed class ClusterStepBenchmark : IBenchmark
{
    public string Name => "cluster-step";

    public void Run(string workDir, TextWriter report)
    {
        const int Items = 100_000;
        var Shards = int.Parse(Environment.GetEnvironmentVariable("CLUSTER_SHARDS") ?? "8", System.Globalization.CultureInfo.InvariantCulture);
        var state = Path.Combine(workDir, "cluster-step-state");
        if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
        using var silos = LocalCluster.Start(2, state);
        using var cluster = ClusterStore.Connect(new ClusterSettings(silos.Address, Shards, 1_000, TimeSpan.FromMinutes(2)));
        var map = new ShardMap(Shards, Ids(EngineSetup.Users + 1), Ids(Items + 1));
        report.WriteLine($"{Shards} shards (CLUSTER_SHARDS) on 2 silos:");
        report.WriteLine();
        report.WriteLine("| model | batch | host ms/step | sharded ms/step | sharded / host | pull ms | push ms | calls/step | KB sent/step | KB received/step |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var model in new[] { "gmf", "neumf" })
            foreach (var batch in new[] { 1_024, 16_384 })
            {
                var host = StepMicroseconds(new EngineSetup(model, Items, 10_000, batch), batch);
                var sharded = StepMicroseconds(new EngineSetup(model, Items, 10_000, batch, store: request => cluster.Create(request, map)), batch);
                var traffic = cluster.Shards!.Traffic;
                // Each store has a client of its own: its traffic is its steps' (warm-up steps included).
                var steps = traffic.Pulls;
                report.WriteLine($"| {model} | {batch:N0} | {host / 1e3:F2} | {sharded / 1e3:F2} | {sharded / host:F1} | {traffic.PullTime.TotalMilliseconds / steps:F2} | " +
                    $"{traffic.PushTime.TotalMilliseconds / steps:F2} | {(double)traffic.Calls / steps:F1} | {traffic.BytesSent / 1024.0 / steps:F0} | {traffic.BytesReceived / 1024.0 / steps:F0} |");
            }
    }

    private static long[] Ids(int count) => Enumerable.Range(0, count).Select(i => (long)i * 2654435761L).ToArray();

    private static double StepMicroseconds(EngineSetup setup, int batch)
    {
        using (setup)
        {
            using var context = new StepContext(setup.Engine, freshOptimizer: false) { LearningRate = 1e-3f, Epoch = 1 };
            var bce = new Objective("labeled-bce", Objectives.LabeledBce);
            return DeviceStoreBenchmark.MedianMicroseconds(() =>
            {
                setup.NextBatch();
                PlainStep.Instance.Step(context, setup.Rows, bce);
            }, blocks: 5, perBlock: batch >= 16_384 ? 3 : 10);
        }
    }
}
