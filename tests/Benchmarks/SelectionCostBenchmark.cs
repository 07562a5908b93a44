using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training;
using InverseLearning.Training.Selection;

namespace InverseLearning.Benchmarks;

/// <summary>
/// What model selection by a ranking metric costs against training (issue 21): one GMF + NS
/// epoch on the micro-video preset (cached in the work folder), validating Recall@50 every
/// 200 steps over samples of validation users, and one validation of every validation user.
/// The share is validation time ÷ training time, both measured in the same run.
/// </summary>
public sealed class SelectionCostBenchmark : IBenchmark
{
    public string Name => "selection";

    public void Run(string workDir, TextWriter report)
    {
        var directory = MicroVideoLog.Directory(workDir);
        var data = MicroVideoLog.Prepared(directory);
        var settings = new TrainSettings
        {
            Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 1024, LearningRate = 1e-3, Threads = 2, SelectBy = "recall@50", EvalEvery = 200,
        };
        report.WriteLine($"{data.Train.Count:N0} training rows, {data.Items.Count - 1:N0} items; GMF + NS, one epoch, --select-by recall@50 --eval-every 200, 2 threads");
        report.WriteLine("| --valid-users | users ranked | validations | training | validating | share of training |");
        report.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var users in new[] { 500, 1000, 2000 })
        {
            using var trainer = new Trainer(settings with { ValidUsers = users }, data);
            trainer.Run();
            report.WriteLine($"| {users:N0} | {trainer.Selection.RankedUsers:N0} | {trainer.Validations} | {trainer.TrainSeconds:F1} s | {trainer.ValidationSeconds:F1} s | {trainer.ValidationSeconds / trainer.TrainSeconds:P0} |");
        }
        using (var all = new Trainer(settings with { ValidUsers = 0 }, data))
        {
            var clock = Stopwatch.StartNew();
            all.Selection.Measure(all);
            report.WriteLine($"One validation of all {all.Selection.RankedUsers:N0} validation users: {clock.Elapsed.TotalSeconds:F1} s");
        }
    }
}
