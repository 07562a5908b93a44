using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Optimizers;

/// <summary>
/// An update rule emitted as graph nodes. It sees one parameter (a dense weight, or the
/// working-set rows of an embedding table — which makes Adam "lazy": untouched rows
/// keep their moments) with its gradient and its state tensors.
/// </summary>
public interface IOptimizer
{
    string Name { get; }

    /// <summary>State tensors per parameter, each of the parameter's shape (Adam: m and v).</summary>
    IReadOnlyList<string> StateNames { get; }

    /// <summary>
    /// The updated parameter and state. <paramref name="learningRate"/> and
    /// <paramref name="step"/> (1-based update count) are scalar graph inputs.
    /// </summary>
    (Value Parameter, Value[] State) Update(GraphBuilder g, Value parameter, Value gradient, Value[] state, Value learningRate, Value step);

    /// <summary>
    /// The direction the next update would move the parameter, per unit of learning rate,
    /// without committing any state: IG's candidates step along it.
    /// </summary>
    Value PeekDirection(GraphBuilder g, Value gradient, Value[] state, Value step);
}
