using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Plans;

/// <summary>One fused forward–backward–optimizer step on the objective.</summary>
public sealed class PlainStep : IStepProgram
{
    public static readonly PlainStep Instance = new();

    public float Step(StepContext context, StepRows rows, Objective objective)
    {
        var session = context.Compile(objective);
        objective.Inputs?.Bind(session, rows, context.PhaseIteration);
        return context.Engine.Step(session, rows, context.LearningRate, context.FreshOptimizer);
    }
}
