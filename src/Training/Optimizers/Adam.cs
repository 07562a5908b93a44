using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Optimizers;

/// <summary>Adam (Kingma &amp; Ba) with bias correction; the defaults of PyTorch's torch.optim.Adam.</summary>
public sealed class Adam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) : IOptimizer
{
    public string Name => "adam";
    public IReadOnlyList<string> StateNames => ["m", "v"];

    public (Value Parameter, Value[] State) Update(GraphBuilder g, Value parameter, Value gradient, Value[] state, Value learningRate, Value step)
    {
        var (m, v) = (state[0], state[1]);
        var t = parameter.Type;
        var newM = g.Add(g.Mul(g.Scalar(beta1, t), m), g.Mul(g.Scalar(1 - beta1, t), gradient));
        var newV = g.Add(g.Mul(g.Scalar(beta2, t), v), g.Mul(g.Scalar(1 - beta2, t), g.Mul(gradient, gradient)));
        var direction = Direction(g, newM, newV, step);
        return (g.Sub(parameter, g.Mul(learningRate, direction)), [newM, newV]);
    }

    /// <summary>m̂ / (√v̂ + ε): the step Adam takes per unit of learning rate.</summary>
    public Value Direction(GraphBuilder g, Value m, Value v, Value step)
    {
        var t = m.Type;
        var one = g.Scalar(1, t);
        var mHat = g.Div(m, g.Sub(one, g.Pow(g.Scalar(beta1, t), step)));
        var vHat = g.Div(v, g.Sub(one, g.Pow(g.Scalar(beta2, t), step)));
        return g.Div(mHat, g.Add(g.Sqrt(vHat), g.Scalar(epsilon, t)));
    }

    /// <summary>The direction of the next update from the current state, without committing it (IG's candidate step).</summary>
    public Value PeekDirection(GraphBuilder g, Value gradient, Value[] state, Value step)
    {
        var t = gradient.Type;
        var m = g.Add(g.Mul(g.Scalar(beta1, t), state[0]), g.Mul(g.Scalar(1 - beta1, t), gradient));
        var v = g.Add(g.Mul(g.Scalar(beta2, t), state[1]), g.Mul(g.Scalar(1 - beta2, t), g.Mul(gradient, gradient)));
        return Direction(g, m, v, step);
    }
}
