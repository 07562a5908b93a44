using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Strategies;

/// <summary>DenoisingRec's warm-up: epochs of BCE on extra feedback D* before the method, which then starts with a fresh optimizer.</summary>
public sealed class Warmup() : ExtraFeedbackStrategy(Epochs)
{
    public static readonly PluginOption Epochs = new("warmup-epochs",
        "Epochs of BCE on extra feedback (D*) before the method; the method then starts with a fresh optimizer.", 0, 0, 100_000, Integer: true);

    public override string Name => "warm-up";

    public override void Shape(List<Phase> phases, PlanContext context)
    {
        context.Data.Extra.RequireTrain("--warmup-epochs");
        phases[0] = phases[0] with { Schedule = phases[0].Schedule with { ResetOptimizer = true } };
        phases.Insert(0, ExtraFeedbackPhases.Warmup(context, EpochsOf(context.Settings)));
    }
}
