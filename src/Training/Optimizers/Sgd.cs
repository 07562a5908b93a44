using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Optimizers;

/// <summary>Plain stochastic gradient descent: θ ← θ − η·g.</summary>
public sealed class Sgd : IOptimizer
{
    public string Name => "sgd";
    public IReadOnlyList<string> StateNames => [];

    public (Value Parameter, Value[] State) Update(GraphBuilder g, Value parameter, Value gradient, Value[] state, Value learningRate, Value step) =>
        (g.Sub(parameter, g.Mul(learningRate, gradient)), []);

    public Value PeekDirection(GraphBuilder g, Value gradient, Value[] state, Value step) => gradient;
}
