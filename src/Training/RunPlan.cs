using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Strategies;

namespace InverseLearning.Training;

/// <summary>
/// The plan a run trains: the method's phases, with DenoisingRec's strategies around
/// them — warm-up on extra feedback before (the method then starts with a fresh
/// optimizer), finetune on it after.
/// </summary>
public static class RunPlan
{
    public static TrainingPlan Build(PlanContext context, WarmupUserEmbeddings? warmupEmbeddings = null)
    {
        var settings = context.Settings;
        var method = MethodRegistry.Get(settings.Method).Plan(context);
        var phases = method.Phases.ToList();
        if (settings.WarmupEpochs > 0)
        {
            context.Data.Extra.RequireTrain("--warmup-epochs");
            phases[0] = phases[0] with { Schedule = phases[0].Schedule with { ResetOptimizer = true } };
            phases.Insert(0, ExtraFeedbackPhases.Warmup(context, warmupEmbeddings));
        }
        if (settings.FinetuneEpochs > 0)
        {
            context.Data.Extra.RequireTrain("--finetune-epochs");
            phases.Add(ExtraFeedbackPhases.Finetune(context));
        }
        return new TrainingPlan(phases, method.Primary);
    }
}
