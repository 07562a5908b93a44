using Onnx;

namespace InverseLearning.Training.Graph;

/// <summary>
/// The vector-Jacobian product of one node: given the gradients flowing into its outputs
/// (null where an output does not reach the loss), emit nodes computing the gradient of
/// each input (null, or left off the end, where an input gets none).
/// </summary>
public delegate Value?[] Vjp(Node node, Value?[] outputGradients);

/// <summary>One ONNX node, with the rule that differentiates it.</summary>
public sealed class Node
{
    internal Node(string opType, string domain, IReadOnlyList<Value?> inputs, IReadOnlyList<AttributeProto> attributes, Vjp? vjp)
    {
        OpType = opType;
        Domain = domain;
        Inputs = inputs;
        Attributes = attributes;
        Backward = vjp;
    }

    public string OpType { get; }
    public string Domain { get; }
    /// <summary>Inputs in ONNX order; null stands for an omitted optional input.</summary>
    public IReadOnlyList<Value?> Inputs { get; }
    public IReadOnlyList<AttributeProto> Attributes { get; }
    public IReadOnlyList<Value> Outputs { get; internal set; } = [];

    /// <summary>Null means "not differentiable": gradients stop here.</summary>
    public Vjp? Backward { get; }

    public Value Input(int i) => Inputs[i] ?? throw new InvalidOperationException($"{OpType} input {i} is absent");
    public Value Output => Outputs[0];
}
