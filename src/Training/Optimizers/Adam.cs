using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Optimizers;

/// <summary>Adam (Kingma &amp; Ba) with bias correction; the defaults of PyTorch's torch.optim.Adam.</summary>
public sealed class Adam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) : IOptimizer
{
    public string Name => "adam";
    public IReadOnlyList<string> StateNames => ["m", "v"];

    public (Value Parameter, Value[] State) Update(GraphBuilder g, Value parameter, Value gradient, Value[] state, Value learningRate, Value step)
    {
        var (m, v) = Moments(g, gradient, state);
        return (g.Sub(parameter, g.Mul(learningRate, Direction(g, m, v, step))), [m, v]);
    }

    /// <summary>
    /// m̂ / (√v̂ + ε), computed as m·c / (√v + ε·√bc₂) with the scalar c = √bc₂ / bc₁
    /// (bc = 1 − βᵗ): the same value, but the bias corrections cost scalar ops, not
    /// tensor ops (this runs over every row a step touches).
    /// </summary>
    public Value Direction(GraphBuilder g, Value m, Value v, Value step)
    {
        var t = m.Type;
        var one = g.Scalar(1, t);
        var sqrtCorrection2 = g.Sqrt(g.Sub(one, g.Pow(g.Scalar(beta2, t), step)));
        var scale = g.Div(sqrtCorrection2, g.Sub(one, g.Pow(g.Scalar(beta1, t), step)));
        var denominator = g.Add(g.Sqrt(v), g.Mul(g.Scalar(epsilon, t), sqrtCorrection2));
        return g.Mul(g.Div(m, denominator), scale);
    }

    /// <summary>The direction of the next update from the current state, without committing it (IG's candidate step).</summary>
    public Value PeekDirection(GraphBuilder g, Value gradient, Value[] state, Value step)
    {
        var (m, v) = Moments(g, gradient, state);
        return Direction(g, m, v, step);
    }

    private (Value M, Value V) Moments(GraphBuilder g, Value gradient, Value[] state)
    {
        var t = gradient.Type;
        var m = g.Add(g.Mul(g.Scalar(beta1, t), state[0]), g.Mul(g.Scalar(1 - beta1, t), gradient));
        var v = g.Add(g.Mul(g.Scalar(beta2, t), state[1]), g.Mul(g.Scalar(1 - beta2, t), g.Mul(gradient, gradient)));
        return (m, v);
    }
}
