using InverseLearning.Training.Plugins;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Losses;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// R-CE (DenoisingRec): on NS data, weight each row's BCE by sg(σ(s))^β for positives
/// and sg(1 − σ(s))^β for negatives, so hard (likely noisy) rows count less. Mean.
/// </summary>
public sealed class ReweightedLoss : TrainingMethod
{
    public static readonly PluginOption Beta = new("rce-beta", "R-CE: β, the exponent of the weights.", 0.25, 0, 100);

    public override string Name => "rce";
    public override IReadOnlyList<PluginOption> Options => [Beta];

    public override MethodPlan Plan(PlanContext context)
    {
        var beta = context.Settings.Option(Beta);
        return context.OnePass(this, new Objective("rce", (x, logits) => Loss(x, logits, beta)));
    }

    public static Value Loss(WorkingSetInputs x, Value logits, double beta)
    {
        var g = x.G;
        var exponent = g.Scalar(beta);
        var probability = g.StopGradient(g.Sigmoid(logits));
        var weightIfPositive = g.Pow(probability, exponent);
        var weightIfNegative = g.Pow(g.Sub(g.Scalar(1), probability), exponent);
        return RowWeightedLoss.Mean(g, logits, g.Mul(x.Labels, weightIfPositive), g.Mul(g.Sub(g.Scalar(1), x.Labels), weightIfNegative));
    }
}
