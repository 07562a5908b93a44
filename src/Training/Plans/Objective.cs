using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Plans;

/// <summary>
/// A loss built in the step graph from the batch's inputs and logits. <see cref="Key"/>
/// names its compiled step (built once per run); <see cref="Inputs"/> binds the scalar
/// inputs the loss declared (T-CE's drop count) before each step.
/// </summary>
public sealed record Objective(string Key, Func<WorkingSetInputs, Value, Value> Loss, IObjectiveInputs? Inputs = null);

/// <summary>Binds the extra graph inputs an objective declared, for the coming step.</summary>
public interface IObjectiveInputs
{
    /// <param name="phaseIteration">Steps this phase has taken before this one (T in T-CE's schedule).</param>
    void Bind(GraphSession step, StepRows rows, long phaseIteration);
}
