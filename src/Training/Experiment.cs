using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training;

/// <summary>
/// Methods × models on one dataset — the same split for all, training seeds
/// seed, seed+1, … per repeat — written as the paper's Table 1 (table.md), results.json
/// and a bar plot of test AUC per method; optionally the RQ4 study of IG's η_s / η.
/// </summary>
public static class Experiment
{
    public sealed record Plan(TrainSettings Base, IReadOnlyList<string> Methods, IReadOnlyList<string> Models, int Repeats,
        IReadOnlyList<double> LearningRateRatios);

    public static IReadOnlyList<RunResult> Run(Plan plan, PreparedDataset data, GroundTruth? truth, string outputDirectory,
        ITrainingObserver? observer, Action<string> log, CancellationToken cancel = default)
    {
        var runs = new List<RunResult>();
        foreach (var model in plan.Models)
            foreach (var method in plan.Methods)
                for (var repeat = 0; repeat < plan.Repeats; repeat++)
                {
                    var settings = plan.Base with { Model = model, Method = method, Seed = plan.Base.Seed + repeat, SplitSeed = plan.Base.EffectiveSplitSeed };
                    runs.Add(RunOne(settings, data, truth, Path.Combine(outputDirectory, model, method, $"seed{settings.Seed}"), observer, log, cancel));
                }

        if (runs.Count > 0)
        {
            var title = $"{plan.Methods.Count} methods × {plan.Models.Count} models, {plan.Repeats} repeat(s)";
            ResultsTable.Write(Path.Combine(outputDirectory, "table.md"), title, runs);
            if (runs.All(r => r.FullRanking is not null))
                FullRankingTable.Write(Path.Combine(outputDirectory, FullRankingTable.FileName), title, runs);
            ResultsJson.Write(Path.Combine(outputDirectory, "results.json"), runs,
                new Dictionary<string, object?> { ["settings"] = plan.Base, ["repeats"] = plan.Repeats });
            foreach (var model in plan.Models)
            {
                var ofModel = runs.Where(r => r.Model == model).ToList();
                var summary = plan.Methods.Select(m => MetricSummary.Of(ofModel.Where(r => r.Method == m).Select(r => r.Test.Auc).ToList())).ToList();
                Plots.MetricBars(Path.Combine(outputDirectory, $"auc_{model}.png"), $"Test AUC by method, {model}", "AUC",
                    plan.Methods, summary.Select(s => s.Mean).ToList(), summary.Select(s => s.Std).ToList());
            }
        }

        if (plan.LearningRateRatios.Count > 0) RatioStudy(plan, data, truth, outputDirectory, observer, log, cancel);
        return runs;
    }

    /// <summary>RQ4: IG with η_s = ratio·η for each ratio, per model; AUC and GAUC against the ratio.</summary>
    private static void RatioStudy(Plan plan, PreparedDataset data, GroundTruth? truth, string outputDirectory,
        ITrainingObserver? observer, Action<string> log, CancellationToken cancel)
    {
        var byModel = new Dictionary<string, List<List<RunResult>>>();
        foreach (var model in plan.Models)
        {
            byModel[model] = [];
            foreach (var ratio in plan.LearningRateRatios)
            {
                var atRatio = new List<RunResult>();
                for (var repeat = 0; repeat < plan.Repeats; repeat++)
                {
                    var settings = (plan.Base with
                    {
                        Model = model, Method = "ig", Seed = plan.Base.Seed + repeat, SplitSeed = plan.Base.EffectiveSplitSeed,
                    }).WithOption(InverseGradientMethod.SampleLearningRate, plan.Base.LearningRate * ratio);
                    atRatio.Add(RunOne(settings, data, truth, Path.Combine(outputDirectory, "lr-ratio", model, $"ratio{ratio}", $"seed{settings.Seed}"), observer, log, cancel));
                }
                byModel[model].Add(atRatio);
            }
        }
        foreach (var metric in new[] { "auc", "gauc" })
        {
            var series = plan.Models.Select(m =>
            {
                var summaries = byModel[m].Select(runs => MetricSummary.Of(runs.Select(r => r.Test[metric]).ToList())).ToList();
                return new RatioSeries(m, summaries.Select(s => s.Mean).ToList(), summaries.Select(s => s.Std).ToList());
            }).ToList();
            Plots.LearningRateRatio(Path.Combine(outputDirectory, $"lr_ratio_{metric}.png"), plan.LearningRateRatios, metric.ToUpperInvariant(), series);
        }
        ResultsJson.Write(Path.Combine(outputDirectory, "lr_ratio.json"), byModel.Values.SelectMany(l => l.SelectMany(r => r)).ToList(),
            new Dictionary<string, object?> { ["ratios"] = plan.LearningRateRatios });
    }

    private static RunResult RunOne(TrainSettings settings, PreparedDataset data, GroundTruth? truth, string directory,
        ITrainingObserver? observer, Action<string> log, CancellationToken cancel)
    {
        log($"{settings.Model} / {settings.Method} / seed {settings.Seed} (η_s = {settings.Option(InverseGradientMethod.SampleLearningRate):G3})");
        var outcome = TrainingRun.Execute(settings, data, truth, directory, observer, cancel: cancel);
        log($"  test AUC {outcome.Test.Auc:F4}, GAUC {outcome.Test.Gauc:F4}, NDCG@10 {outcome.Test.Ndcg10:F4}" +
            (outcome.CleanTest is { } c ? $"; clean AUC {c.Auc:F4}, GAUC {c.Gauc:F4}" : ""));
        return new RunResult(settings.Method, settings.Model, settings.Seed, outcome.Test, outcome.CleanTest, outcome.FullRanking);
    }
}
