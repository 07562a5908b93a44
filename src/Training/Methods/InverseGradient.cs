using InverseLearning.Training.Graph;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// IG (inverse gradient). Each epoch: one BCE pass over training-train; then per
/// training-test batch b with its unlabeled rows U_b: g = ∇θ IDL(θ; U_b), candidates
/// θ⁺ = θ − η_s·step(g), θ⁻ = θ + η_s·step(g), θ⁰ = θ judged by BCE on b; the smallest
/// wins (ties: direct, inverse, pass) and one BCE step on b is taken from it.
/// </summary>
public sealed class InverseGradient : TrainingMethod
{

    public override string Name => "ig";
    public override bool UsesUnlabeledRows => false;

    /// <summary>The objective of the training-train pass: BCE on labeled rows.</summary>
    public override Value Loss(WorkingSetInputs x, Value logits) => Objectives.Bce(x, logits);

    /// <summary>Per meta-step: the case chosen and L⁺, L⁻, L⁰ (the paper's convergence figure).</summary>
    public ConvergenceLog Convergence { get; } = new();

    public override void RunEpoch(Trainer trainer, int epoch)
    {
        var settings = trainer.Settings;
        var lr = (float)settings.LearningRate;
        var fresh = settings.FreshOptimizer;

        var bce = trainer.StepSession("bce", Loss);
        trainer.RunPass(trainer.Data.TrainTrain, 0, epoch, "ig: training-train",
            rows => trainer.Engine.Step(bce, rows, lr, fresh));

        var labeledBce = trainer.StepSession("labeled-bce", StepGraphs.LabeledBce);
        var candidates = trainer.CandidateSession(InverseDualLoss.UnlabeledOnly);
        trainer.RunPass(trainer.Data.TrainTest, settings.Ng, epoch, "ig: training-test", rows =>
        {
            var losses = trainer.Engine.Candidates(candidates, rows, (float)settings.SampleLearningRate, fresh);
            var chosen = Choose(losses);
            Convergence.Add(epoch, (int)trainer.Iterations + 1, chosen, losses.Direct, losses.Inverse, losses.Pass);
            var from = chosen switch { IgCase.Direct => StartingPoint.Plus, IgCase.Inverse => StartingPoint.Minus, _ => StartingPoint.Current };
            return trainer.Engine.Step(labeledBce, rows, lr, fresh, from, gathered: true);
        }, salt: 1);
    }

    /// <summary>The candidate with the smallest loss; ties go to direct, then inverse, then pass.</summary>
    public static IgCase Choose(CandidateLosses l) =>
        l.Direct <= l.Inverse && l.Direct <= l.Pass ? IgCase.Direct
        : l.Inverse <= l.Pass ? IgCase.Inverse
        : IgCase.Pass;
}
