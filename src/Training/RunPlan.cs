using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;

namespace InverseLearning.Training;

/// <summary>The plan a run trains: the method's phases, composed with the run's strategies.</summary>
public static class RunPlan
{
    public static TrainingPlan Build(PlanContext context)
    {
        var method = MethodRegistry.Get(context.Settings.Method).Plan(context);
        return new TrainingPlan(method.Phases, method.Primary);
    }
}
