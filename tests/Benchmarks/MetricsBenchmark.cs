using InverseLearning.Data;
using System.Diagnostics;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Benchmarks;

/// <summary>The paper's metrics (AUC, GAUC, NDCG@10/20, MRR, logloss) over 2M random test rows of 100k users.</summary>
public sealed class MetricsBenchmark : IBenchmark
{
    private const int Rows = 2_000_000, Users = 100_000;

    public string Name => "metrics";

    public void Run(string workDir, TextWriter report)
    {
        var rng = new Random(1);
        var users = new int[Rows];
        var labels = new PackedLabels(Rows);
        var probabilities = new float[Rows];
        for (var r = 0; r < Rows; r++)
        {
            users[r] = rng.Next(Users);
            labels[r] = rng.Next(2);
            probabilities[r] = (float)rng.NextDouble();
        }
        Metrics.Compute(users, labels, probabilities);   // warm-up (JIT)
        var clock = Stopwatch.StartNew();
        const int repeats = 3;
        for (var k = 0; k < repeats; k++) Metrics.Compute(users, labels, probabilities);
        report.WriteLine($"Metrics.Compute on {Rows:N0} rows ({Users:N0} users): {clock.Elapsed.TotalSeconds / repeats:F2} s");
    }
}
