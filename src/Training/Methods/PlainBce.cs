using InverseLearning.Training.Plans;

namespace InverseLearning.Training.Methods;

/// <summary>None: BCE on the labeled rows only; no sampled rows.</summary>
public sealed class PlainBce : TrainingMethod
{
    public override string Name => "none";
    public override bool UsesUnlabeledRows => false;
    public override MethodPlan Plan(PlanContext context) => context.OnePass(this, new Objective("bce", Objectives.Bce));

    /// <summary>With no sampled rows, training labels of one class (implicit feedback: every row positive) teach nothing about ranking.</summary>
    public override string? CannotLearnFrom(Data.ITrainingRows train)
    {
        if (train.Count == 0) return null;
        var positives = train.PositiveCount;
        if (positives != 0 && positives != train.Count) return null;
        return $"--method {Name} trains on the labeled rows alone, and every training row here is {(positives == 0 ? "negative" : "positive")}: " +
            "it cannot learn to rank. Use a method that samples unseen items as negatives: ns, tce, rce or idl";
    }
}
