using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;

namespace InverseLearning.Training.Strategies;

/// <summary>
/// DenoisingRec's phases on extra feedback D* (TKDE Eq. 7): BCE on D*'s training
/// positives, each with --ng negatives sampled outside the user's implicit feedback (the
/// unlabeled sampler draws among items the user never interacted with, in any split).
/// Warm-up trains on D* before the method; finetune after it.
/// </summary>
public static class ExtraFeedbackPhases
{
    private static readonly Objective Bce = new("bce", Objectives.Bce);

    private static DataSource ExtraTrain(PlanContext context) =>
        new("extra-feedback", d => d.Extra.Train, SampledPerLabeled(context.Settings));

    /// <summary>The negatives sampled per D* positive: --ng, but at least one, as BCE on positives alone learns no ranking.</summary>
    public static int SampledPerLabeled(TrainSettings settings) => Math.Max(1, settings.Ng);

    /// <summary>
    /// Warm-up: its epochs do not compete for the best checkpoint (the method's model is
    /// the product).
    /// </summary>
    public static Phase Warmup(PlanContext context, int epochs) =>
        new(WarmupPhase, new PhaseSchedule(epochs, context.Settings.LearningRate, CompetesForBest: false, EpochsFlag: "--" + Strategies.Warmup.Epochs.Flag),
            [new Pass(WarmupPhase, ExtraTrain(context), Bce, PlainStep.Instance)]);

    /// <summary>The warm-up phase's name, by which colliding inference finds it.</summary>
    public const string WarmupPhase = "warm-up";

    /// <summary>
    /// Finetune: a fresh optimizer, and the best checkpoint is chosen among its own epochs
    /// (a finetuned model is the product, even when the method's epochs had a lower validation loss).
    /// </summary>
    public static Phase Finetune(PlanContext context, int epochs) =>
        new(FinetunePhase, new PhaseSchedule(epochs, context.Settings.LearningRate, ResetOptimizer: true, RestartsSelection: true, EpochsFlag: "--" + Strategies.Finetune.Epochs.Flag),
            [new Pass(FinetunePhase, ExtraTrain(context), Bce, PlainStep.Instance)]);

    public const string FinetunePhase = "finetune";
}
