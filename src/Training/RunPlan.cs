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
    /// <remarks>The method's sources are numbered first (0, 1, …), then the strategies' in plan order, so a method's batches do not depend on the strategies around it.</remarks>
    public static TrainingPlan Build(PlanContext context)
    {
        var method = MethodRegistry.Get(context.Settings.Method).Plan(context);
        var methodPlan = new TrainingPlan(method.Phases, method.Primary).WithStreams();
        var phases = methodPlan.Phases.ToList();
        foreach (var strategy in StrategyRegistry.On(context.Settings)) strategy.Shape(phases, context);
        return new TrainingPlan(phases, method.Primary).WithStreams(methodPlan.NextStream);
    }
}
