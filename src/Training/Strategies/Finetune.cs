using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Strategies;

/// <summary>DenoisingRec's finetune: epochs of BCE on extra feedback D* after the method, the best epoch chosen among them.</summary>
public sealed class Finetune() : ExtraFeedbackStrategy(Epochs)
{
    public static readonly PluginOption Epochs = new("finetune-epochs",
        "Epochs of BCE on extra feedback (D*) after the method; the best epoch is chosen among them.", 0, 0, 100_000, Integer: true);

    public override string Name => "finetune";

    /// <summary>More finetune epochs may be asked of a resumed run, as more --epochs may.</summary>
    public override IReadOnlyList<PluginOption> ResumableOptions => [Epochs];

    public override void Shape(List<Phase> phases, PlanContext context)
    {
        context.Data.Extra.RequireTrain("--finetune-epochs");
        phases.Add(ExtraFeedbackPhases.Finetune(context, EpochsOf(context.Settings)));
    }
}
