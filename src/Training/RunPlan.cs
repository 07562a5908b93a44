using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Strategies;

namespace InverseLearning.Training;

/// <summary>
/// The plan a run trains: the method's phases, shaped by each strategy the run's options turn
/// on, in registry order (warm-up before the method, finetune after it, colliding inference's
/// hook on the warm-up).
/// </summary>
public static class RunPlan
{
    public static TrainingPlan Build(PlanContext context)
    {
        var method = MethodRegistry.Get(context.Settings.Method).Plan(context);
        var phases = method.Phases.ToList();
        foreach (var strategy in StrategyRegistry.On(context.Settings)) strategy.Shape(phases, context);
        return new TrainingPlan(phases, method.Primary);
    }
}
