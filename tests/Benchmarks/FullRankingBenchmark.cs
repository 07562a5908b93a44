using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Benchmarks;

/// <summary>
/// DenoisingRec's full-ranking protocol at the paper's Micro-Video scale (the simulator's
/// micro-video preset, cached in the work folder, as micro-video-epoch uses it): every one of
/// the 131,690 items ranked for each test user, history left out, top 20/50/100 against the
/// ground truth's positives. GMF (dim 32, freshly initialised: the cost does not depend on
/// the values), 2 threads — wall time, split into ORT scoring and top-K selection. NeuMF,
/// whose MLP tower runs on every pair, on a sample of users: its rate with the first layer
/// split (the scorer used) against pair by pair, and the time the whole protocol would take.
/// </summary>
public sealed class FullRankingBenchmark : IBenchmark
{
    public string Name => "full-ranking";

    public void Run(string workDir, TextWriter report)
    {
        var directory = MicroVideoLog.Directory(workDir);
        var data = MicroVideoLog.Prepared(directory);
        var (positives, rule) = TestPositives.Resolve(data, GroundTruth.Load(directory));

        var setup = Stopwatch.StartNew();
        var protocol = new FullRanking(data, positives, rule, [20, 50, 100]);
        var prepared = setup.Elapsed;
        var store = new HostParameterStore(new Gmf(32), data.Users.Count, data.Items.Count, stateSlots: 2, seed: 1);
        var clock = Stopwatch.StartNew();
        var metrics = protocol.Evaluate(store, new ExecutionDevice("cpu", 2));
        var total = clock.Elapsed;

        var pairs = (double)metrics.Users * (data.Items.Count - 1);
        report.WriteLine($"{metrics.Users:N0} test users × {data.Items.Count - 1:N0} items = {pairs / 1e9:F2}·10⁹ pairs; protocol set up in {prepared.TotalSeconds:F1} s");
        report.WriteLine($"| GMF dim 32, K = 20/50/100 | {total.TotalSeconds:F1} s | scoring (ORT) {protocol.LastTimes.Scoring.TotalSeconds:F1} s, top-K {protocol.LastTimes.Selection.TotalSeconds:F1} s | {pairs / total.TotalSeconds / 1e6:N0} M pairs/s | Recall@20 {metrics.RecallAt(20):F4} (random model) |");

        var sampled = positives.Users.Distinct().Order().Take(SampledUsers).ToHashSet();
        var sample = TestPositives.OfUsers(positives, sampled.Contains);
        var neumf = new FullRanking(data, sample, rule, [20, 50, 100]);
        var neumfStore = new HostParameterStore(new NeuMf(32, 3), data.Users.Count, data.Items.Count, stateSlots: 2, seed: 1);
        double Rate(IUserBlockScorer scorer)
        {
            using (scorer)
            {
                clock.Restart();
                neumf.Evaluate(scorer, threads: 2);
                return (double)neumf.UserCount * (data.Items.Count - 1) / clock.Elapsed.TotalSeconds;
            }
        }
        var tower = Rate(UserBlockScorer.For(neumfStore, new ExecutionDevice("cpu", 2)));
        var pairwise = Rate(new PairwiseBlockScorer(new StoreScoringSource(neumfStore), new ExecutionDevice("cpu", 2)));
        report.WriteLine($"| NeuMF dim 32, 3 layers, {neumf.UserCount} users | first layer split: {tower / 1e6:F2} M pairs/s, all {metrics.Users:N0} users ≈{pairs / tower / 60:F0} min | pair by pair: {pairwise / 1e6:F2} M pairs/s | split / pairwise: {tower / pairwise:F2}× |");
    }

    private const int SampledUsers = 64;
}
