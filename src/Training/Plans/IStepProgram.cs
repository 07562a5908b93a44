using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Plans;

/// <summary>What one step does with a batch: a plain gradient step, or a program of several graphs (IG's candidates).</summary>
public interface IStepProgram
{
    /// <summary>Trains on <paramref name="rows"/>; returns the step's loss.</summary>
    float Step(StepContext context, StepRows rows, Objective objective);
}
