using InverseLearning.Training.Graph;
using InverseLearning.Training.Losses;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// R-CE (DenoisingRec): on NS data, weight each row's BCE by sg(σ(s))^β for positives
/// and sg(1 − σ(s))^β for negatives, so hard (likely noisy) rows count less. Mean.
/// </summary>
public sealed class ReweightedLoss(double beta = 0.25) : TrainingMethod
{
    public override string Name => "rce";

    public override Value Loss(WorkingSetInputs x, Value logits)
    {
        var g = x.G;
        var exponent = g.Scalar(beta);
        var probability = g.StopGradient(g.Sigmoid(logits));
        var weightIfPositive = g.Pow(probability, exponent);
        var weightIfNegative = g.Pow(g.Sub(g.Scalar(1), probability), exponent);
        return RowWeightedLoss.Mean(g, logits, g.Mul(x.Labels, weightIfPositive), g.Mul(g.Sub(g.Scalar(1), x.Labels), weightIfNegative));
    }

    public override IReadOnlyDictionary<string, object> Settings => new Dictionary<string, object> { ["beta"] = beta };
}
