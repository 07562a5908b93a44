using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Losses;

/// <summary>
/// Binary cross-entropy with logits, computed stably:
/// ℓ(s, t) = max(s, 0) − s·t + log(1 + exp(−|s|)).
/// </summary>
public static class Bce
{
    public static Value PerRow(GraphBuilder g, Value logits, Value targets) =>
        g.Sub(SoftplusStable(g, logits), g.Mul(logits, targets));

    /// <summary>ℓ(s, 1) = softplus(−s).</summary>
    public static Value AsPositive(GraphBuilder g, Value logits) => SoftplusStable(g, g.Neg(logits));

    /// <summary>ℓ(s, 0) = softplus(s).</summary>
    public static Value AsNegative(GraphBuilder g, Value logits) => SoftplusStable(g, logits);

    // softplus(x) = max(x, 0) + log(1 + exp(−|x|)): never overflows, unlike log(1 + exp(x)).
    private static Value SoftplusStable(GraphBuilder g, Value x)
    {
        var zero = g.Scalar(0, x.Type);
        var one = g.Scalar(1, x.Type);
        return g.Add(g.Max(x, zero), g.Log(g.Add(one, g.Exp(g.Neg(g.Abs(x))))));
    }
}
