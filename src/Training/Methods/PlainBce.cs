using InverseLearning.Training.Plans;

namespace InverseLearning.Training.Methods;

/// <summary>None: BCE on the labeled rows only; no sampled rows.</summary>
public sealed class PlainBce : TrainingMethod
{
    public override string Name => "none";
    public override bool UsesUnlabeledRows => false;
    public override MethodPlan Plan(PlanContext context) => context.OnePass(this, new Objective("bce", Objectives.Bce));
}
