namespace InverseLearning.Training.Graph;

/// <summary>
/// Reverse-mode differentiation over a <see cref="GraphBuilder"/>'s nodes: walks the
/// nodes that lie between the parameters and the loss in reverse order and applies
/// each node's VJP rule, summing gradients where a value feeds several nodes.
/// </summary>
public static class Autodiff
{
    /// <summary>
    /// Emits d<paramref name="loss"/>/d<paramref name="parameters"/> into the loss's graph.
    /// A parameter the loss does not depend on gets zeros.
    /// </summary>
    public static Value[] Gradients(Value loss, IReadOnlyList<Value> parameters)
    {
        var g = loss.Graph;
        if (loss.Shape.Rank != 0) throw new ArgumentException($"the loss must be a scalar, got {loss}");

        var dependsOnParameter = new HashSet<Value>(parameters);
        var relevant = new List<Node>();
        foreach (var node in g.Nodes.ToList())    // nodes are in topological order by construction
            if (node.Inputs.Any(i => i is not null && dependsOnParameter.Contains(i)))
            {
                relevant.Add(node);
                foreach (var output in node.Outputs) dependsOnParameter.Add(output);
            }

        var gradients = new Dictionary<Value, Value> { [loss] = g.Scalar(1, loss.Type) };
        for (var k = relevant.Count - 1; k >= 0; k--)
        {
            var node = relevant[k];
            var outputGradients = node.Outputs.Select(o => gradients.GetValueOrDefault(o)).ToArray();
            if (node.Backward is null || outputGradients.All(d => d is null)) continue;
            var inputGradients = node.Backward(node, outputGradients);
            for (var i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                var gradient = i < inputGradients.Length ? inputGradients[i] : null;   // rules may omit trailing non-differentiable inputs
                if (input is null || gradient is null || !dependsOnParameter.Contains(input)) continue;
                gradients[input] = gradients.TryGetValue(input, out var sum) ? g.Add(sum, gradient) : gradient;
            }
        }
        return parameters.Select(p => gradients.TryGetValue(p, out var d) ? d : g.ZerosLike(p)).ToArray();
    }
}
