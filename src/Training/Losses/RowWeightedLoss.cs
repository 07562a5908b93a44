using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Losses;

/// <summary>
/// The shape every objective here takes: Σ_r [a_r·ℓ(s_r, 1) + b_r·ℓ(s_r, 0)] / n, where
/// a and b are per-row weights on the two labels (stop-gradient where a method says so)
/// and n normalises. Plain BCE is a = y, b = 1 − y, n = R.
/// </summary>
public static class RowWeightedLoss
{
    public static Value Compute(GraphBuilder g, Value logits, Value positiveWeight, Value negativeWeight, Value count) =>
        g.Div(g.Sum(PerRow(g, logits, positiveWeight, negativeWeight)), count);

    /// <summary>a_r·ℓ(s_r, 1) + b_r·ℓ(s_r, 0) per row, before the sum.</summary>
    public static Value PerRow(GraphBuilder g, Value logits, Value positiveWeight, Value negativeWeight) =>
        g.Add(g.Mul(positiveWeight, Bce.AsPositive(g, logits)), g.Mul(negativeWeight, Bce.AsNegative(g, logits)));

    /// <summary>The mean over all rows, n = R.</summary>
    public static Value Mean(GraphBuilder g, Value logits, Value positiveWeight, Value negativeWeight) =>
        Compute(g, logits, positiveWeight, negativeWeight, g.Cast(g.Size(logits), logits.Type));
}
