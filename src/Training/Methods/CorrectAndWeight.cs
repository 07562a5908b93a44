using InverseLearning.Training.Plugins;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Losses;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// CW (correct-and-weight). Labeled rows keep their BCE. The sampled rows' negative risk
/// is PU-corrected and weighted:
///   risk_U = Σ_U w·ℓ(s,0) / Σ_U w,  w = sg(1 − σ(s))^γ   (easy negatives count more,
///            likely false negatives less),
///   risk_P = mean over labeled positives of ℓ(s,0),
///   risk⁻  = max(0, (risk_U − π·risk_P) / (1 − π))   (remove the positives hidden in U),
///   loss   = (Σ_labeled ℓ(s,y) + |U|·risk⁻) / R.
/// </summary>
public sealed class CorrectAndWeight : TrainingMethod
{
    public static readonly PluginOption Prior = new("cw-prior", "CW: class prior π of positives among unlabeled rows.", 0.1, 0, 1, MaxExclusive: true);
    public static readonly PluginOption Gamma = new("cw-gamma", "CW: γ of the negative weights.", 1.0, 0, 100);

    public override string Name => "cw";
    public override IReadOnlyList<PluginOption> Options => [Prior, Gamma];

    public override MethodPlan Plan(PlanContext context)
    {
        var (prior, gamma) = (context.Settings.Option(Prior), context.Settings.Option(Gamma));
        return context.OnePass(this, new Objective("cw", (x, logits) => Loss(x, logits, prior, gamma)));
    }

    public static Value Loss(WorkingSetInputs x, Value logits, double classPrior, double gamma)
    {
        var g = x.G;
        var one = g.Scalar(1);
        var labeled = x.LabeledMask;
        var unlabeled = x.UnlabeledMask;
        var asNegative = Bce.AsNegative(g, logits);

        var labeledLoss = g.Sum(g.Mul(labeled, Bce.PerRow(g, logits, x.Labels)));

        var weight = g.Mul(unlabeled, g.Pow(g.StopGradient(g.Sub(one, g.Sigmoid(logits))), g.Scalar(gamma)));
        var riskUnlabeled = g.Div(g.Sum(g.Mul(weight, asNegative)), g.Max(g.Sum(weight), g.Scalar(1e-12)));
        var positives = g.Mul(labeled, x.Labels);
        var riskPositives = g.Div(g.Sum(g.Mul(positives, asNegative)), g.Max(g.Sum(positives), one));
        var negativeRisk = g.Max(g.Div(g.Sub(riskUnlabeled, g.Mul(g.Scalar(classPrior), riskPositives)), g.Scalar(1 - classPrior)), g.Scalar(0));

        var rows = g.Cast(g.Size(logits), DType.Float);
        return g.Div(g.Add(labeledLoss, g.Mul(g.Sum(unlabeled), negativeRisk)), rows);
    }
}
