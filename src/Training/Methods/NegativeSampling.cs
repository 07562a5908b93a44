using InverseLearning.Training.Plans;

namespace InverseLearning.Training.Methods;

/// <summary>NS: labeled rows plus sampled unlabeled rows taken as negatives (y = 0), BCE.</summary>
public sealed class NegativeSampling : TrainingMethod
{
    public override string Name => "ns";
    public override MethodPlan Plan(PlanContext context) => context.OnePass(this, new Objective("bce", Objectives.Bce));
}
