using System.Text.Json.Nodes;

namespace InverseLearning.Training.Reports;

/// <summary>
/// What an experiment was, as results.json's <c>experiment</c> holds it: its grid (methods, models, repeats and their seeds,
/// the baseline, the --lr-ratio study's ratios, runs at once) and the settings its runs share. No one run's settings: those are
/// in each run's own metrics.json, and the shared ones with a model, method and seed of their own would describe a run that was never trained.
/// </summary>
internal static class ExperimentRecord
{
    public const string Field = "experiment";

    // What each run sets for itself (the grid above says which values they took); the fingerprint names the method too.
    private static readonly string[] PerRun = [nameof(TrainSettings.Model), nameof(TrainSettings.Method), nameof(TrainSettings.Seed),
        nameof(TrainSettings.SplitSeed), nameof(TrainSettings.EffectiveSplitSeed), nameof(TrainSettings.TrainingFingerprint)];

    public static JsonObject Of(Experiment.Plan plan)
    {
        var shared = ReportJson.FromValue(plan.Base)!.AsObject();
        foreach (var name in PerRun) shared.Remove(name);
        return new JsonObject
        {
            ["methods"] = new JsonArray([.. plan.Methods.Select(m => JsonValue.Create(m))]),
            ["models"] = new JsonArray([.. plan.Models.Select(m => JsonValue.Create(m))]),
            ["repeats"] = plan.Repeats,
            ["seeds"] = new JsonArray([.. Enumerable.Range(0, plan.Repeats).Select(r => JsonValue.Create(plan.Base.Seed + r))]),
            ["split_seed"] = plan.Base.EffectiveSplitSeed,
            ["baseline"] = plan.Baseline,
            ["lr_ratios"] = new JsonArray([.. plan.LearningRateRatios.Select(r => JsonValue.Create(r))]),
            ["jobs"] = plan.Jobs,
            ["shared_settings"] = shared,
        };
    }
}
