using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>NS: labeled rows plus sampled unlabeled rows taken as negatives (y = 0), BCE.</summary>
public sealed class NegativeSampling : TrainingMethod
{
    public override string Name => "ns";
    public override Value Loss(WorkingSetInputs x, Value logits) => Objectives.Bce(x, logits);
}
