namespace InverseLearning.Training.Graph;

/// <summary>A named tensor in a graph under construction: a graph input, an initializer, or a node output.</summary>
public sealed class Value
{
    internal Value(GraphBuilder graph, string name, DType type, Shape shape, Node? producer)
    {
        Graph = graph;
        Name = name;
        Type = type;
        Shape = shape;
        Producer = producer;
    }

    public GraphBuilder Graph { get; }
    public string Name { get; internal set; }
    public DType Type { get; }
    public Shape Shape { get; }

    /// <summary>The node that computes it; null for graph inputs and initializers.</summary>
    public Node? Producer { get; }

    public override string ToString() => $"{Name}: {Type}{Shape}";
}
