using InverseLearning.Training.Plugins;
using InverseLearning.Training.Plans;

namespace InverseLearning.Training.Methods.InverseGradient;

/// <summary>
/// IG (inverse gradient). Each epoch: one BCE pass over training-train; then per
/// training-test batch b with its unlabeled rows U_b, the meta-step of
/// <see cref="CandidateStep"/>: g = ∇θ IDL(θ; U_b), candidates θ⁺ = θ − η_s·step(g),
/// θ⁻ = θ + η_s·step(g), θ⁰ = θ judged by BCE on b; the smallest wins (ties: direct,
/// inverse, pass) and one BCE step on b is taken from it.
/// </summary>
public sealed class InverseGradientMethod : TrainingMethod
{
    public static readonly PluginOption SampleLearningRate =
        new("sample-lr", "IG: η_s, the learning rate of the candidate step on the IDL gradient (authors' code: 1e-3).", 1e-3, 1e-12, 1e3);

    /// <summary>The method's name, which the experiment's learning-rate-ratio study (an IG study) trains by.</summary>
    public const string MethodName = "ig";

    public override string Name => MethodName;
    public override bool UsesUnlabeledRows => false;
    public override bool RequiresUnlabeledRows => true;
    public override IReadOnlyList<PluginOption> Options => [SampleLearningRate];
    public override bool NeedsTrainingTest => true;

    /// <summary>
    /// The meta-step on training-test batches, which runs the backbone at θ, θ⁺, θ⁻ and the chosen candidate in one graph, its
    /// session beside the plain step's (LightGCN: estimated 709 MiB, peaked at 812 MiB RSS, when counted once).
    /// </summary>
    public override IReadOnlyList<string> FurtherStepGraphs => ["IG's meta-step"];

    /// <summary>The candidates θ⁺ and θ⁻: two more copies of the working set.</summary>
    public override IEnumerable<RunMemoryEstimate.Part> MemoryParts(MethodMemory memory) =>
        [new("IG candidates", "--batch-size, --ng, --dim", memory.WorkingSetFloats * sizeof(float) * 2, memory.LargestWorkingArray)];

    public override MethodPlan Plan(PlanContext context)
    {
        var bce = new Objective("bce", Objectives.Bce);
        var metaStep = new CandidateStep((float)context.Settings.Option(SampleLearningRate));
        var phase = new Phase(Name, context.MainSchedule,
        [
            new Pass("ig: training-train", DataSource.TrainingTrain(0), bce, PlainStep.Instance),
            new Pass("ig: training-test", DataSource.TrainingTest(context.Settings.Ng), new Objective("labeled-bce", Objectives.LabeledBce), metaStep),
        ]);
        return new MethodPlan([phase], bce);
    }
}
