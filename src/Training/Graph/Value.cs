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

    public static Value operator +(Value a, Value b) => a.Graph.Add(a, b);
    public static Value operator -(Value a, Value b) => a.Graph.Sub(a, b);
    public static Value operator *(Value a, Value b) => a.Graph.Mul(a, b);
    public static Value operator /(Value a, Value b) => a.Graph.Div(a, b);
    public static Value operator -(Value a) => a.Graph.Neg(a);
    public static Value operator *(Value a, double b) => a.Graph.Mul(a, a.Graph.Scalar(b, a.Type));
    public static Value operator *(double a, Value b) => b * a;
    public static Value operator +(Value a, double b) => a.Graph.Add(a, a.Graph.Scalar(b, a.Type));
    public static Value operator -(double a, Value b) => b.Graph.Sub(b.Graph.Scalar(a, b.Type), b);
}
