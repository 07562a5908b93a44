using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>None: BCE on the labeled rows only; no sampled rows.</summary>
public sealed class PlainBce : TrainingMethod
{
    public override string Name => "none";
    public override bool UsesUnlabeledRows => false;
    public override Value Loss(WorkingSetInputs x, Value logits) => Objectives.Bce(x, logits);
}
