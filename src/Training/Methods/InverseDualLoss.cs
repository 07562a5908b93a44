using InverseLearning.Training.Graph;
using InverseLearning.Training.Losses;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// IDL: labeled rows with BCE; each unlabeled row with w⁺·ℓ(s,1) + w⁻·ℓ(s,0), where with
/// p = sg(ℓ(s,1)) and n = sg(ℓ(s,0)), w⁺ = (n/(p+δ)) / (n/(p+δ) + p/(n+δ)) and w⁻ = 1 − w⁺:
/// the label that costs less gets the larger weight. Mean over the batch.
/// </summary>
public sealed class InverseDualLoss : TrainingMethod
{
    public const double Delta = 1e-9;

    public override string Name => "idl";

    public override MethodPlan Plan(PlanContext context) => context.OnePass(this, new Objective("idl", Loss));

    public static Value Loss(WorkingSetInputs x, Value logits)
    {
        var g = x.G;
        var (wPlus, wMinus) = Weights(g, logits);
        var labeled = x.LabeledMask;
        var a = g.Add(g.Mul(labeled, x.Labels), g.Mul(x.UnlabeledMask, wPlus));
        var b = g.Add(g.Mul(labeled, g.Sub(g.Scalar(1), x.Labels)), g.Mul(x.UnlabeledMask, wMinus));
        return RowWeightedLoss.Mean(g, logits, a, b);
    }

    /// <summary>The IDL objective on the unlabeled rows alone (IG's sample step): Σ_U [w⁺ℓ(s,1) + w⁻ℓ(s,0)] / |U|.</summary>
    public static Value UnlabeledOnly(WorkingSetInputs x, Value logits)
    {
        var g = x.G;
        var (wPlus, wMinus) = Weights(g, logits);
        return RowWeightedLoss.Compute(g, logits, g.Mul(x.UnlabeledMask, wPlus), g.Mul(x.UnlabeledMask, wMinus), g.Sum(x.UnlabeledMask));
    }

    /// <summary>(w⁺, w⁻) per row, both stop-gradient.</summary>
    public static (Value Plus, Value Minus) Weights(GraphBuilder g, Value logits)
    {
        var p = g.StopGradient(Bce.AsPositive(g, logits));
        var n = g.StopGradient(Bce.AsNegative(g, logits));
        var delta = g.Scalar(Delta);
        var towardsPositive = g.Div(n, g.Add(p, delta));
        var towardsNegative = g.Div(p, g.Add(n, delta));
        var wPlus = g.Div(towardsPositive, g.Add(towardsPositive, towardsNegative));
        return (wPlus, g.Sub(g.Scalar(1), wPlus));
    }

    /// <summary>w⁺ for one logit, on the host (for the annotation analyses; same formula as <see cref="Weights"/>).</summary>
    public static double PositiveWeight(double logit)
    {
        var p = Softplus(-logit);
        var n = Softplus(logit);
        var towardsPositive = n / (p + Delta);
        var towardsNegative = p / (n + Delta);
        return towardsPositive / (towardsPositive + towardsNegative);
    }

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
}
