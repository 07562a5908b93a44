using Google.Protobuf;
using Onnx;

namespace InverseLearning.Training.Graph;

/// <summary>
/// Builds one ONNX graph. Ops are methods (see the Ops.*.cs partial files), each
/// declaring its forward node and, next to it, its vector-Jacobian product, so
/// that <see cref="Autodiff"/> can differentiate any graph built here.
/// </summary>
public sealed partial class GraphBuilder
{
    public const int OpsetVersion = 17;
    public const int MlOpsetVersion = 2;
    public const int IrVersion = 8;
    public const string MlDomain = "ai.onnx.ml";

    private readonly List<Node> _nodes = [];
    private readonly List<Value> _inputs = [];
    private readonly List<TensorProto> _initializers = [];
    private readonly Dictionary<string, Value> _byName = [];
    private readonly Dictionary<(double, DType), Value> _scalars = [];
    private readonly HashSet<Value> _named = [];
    private int _counter;

    public GraphBuilder(string name) => Name = name;

    public string Name { get; }
    public IReadOnlyList<Node> Nodes => _nodes;
    public IReadOnlyList<Value> Inputs => _inputs;

    /// <summary>A graph input fed at run time.</summary>
    public Value Input(string name, DType type, params Dim[] shape)
    {
        var value = NewValue(name, type, new Shape(shape), null);
        _inputs.Add(value);
        return value;
    }

    /// <summary>A constant tensor stored in the model.</summary>
    public Value Initializer(TensorProto tensor)
    {
        var value = NewValue(tensor.Name, (DType)tensor.DataType, new Shape(tensor.Dims.Select(d => new Dim(d)).ToArray()), null);
        _initializers.Add(tensor);
        return value;
    }

    public Value Constant(string name, DType type, double[] data, params long[] dims) =>
        Initializer(TensorProtos.FromDoubles(Unique(name), type, data, dims));

    public Value Constant(long[] data, string name = "const") =>
        Initializer(TensorProtos.Create<long>(Unique(name), DType.Int64, data, data.Length));

    /// <summary>A scalar constant, shared by every use of the same value and type.</summary>
    public Value Scalar(double value, DType type = DType.Float)
    {
        if (!_scalars.TryGetValue((value, type), out var scalar))
            _scalars[(value, type)] = scalar = Initializer(TensorProtos.FromDoubles(Unique("scalar"), type, [value]));
        return scalar;
    }

    /// <summary>
    /// Names <paramref name="value"/>, e.g. to expose it as a graph output. A node's output is
    /// renamed in place (no copy at run time); an input, an initializer or an already named
    /// value gets an Identity node carrying the new name.
    /// </summary>
    public Value Named(Value value, string name)
    {
        if (value.Producer is null || _named.Contains(value))
            return Emit("Identity", [value], value.Shape, value.Type, (_, dy) => [dy[0]], name: name);
        if (_byName.ContainsKey(name)) throw new ArgumentException($"graph {Name} already has a value named {name}");
        _byName.Remove(value.Name);
        value.Name = name;
        _byName[name] = value;
        _named.Add(value);
        return value;
    }

    /// <summary>Emits a node with one output.</summary>
    internal Value Emit(string op, Value?[] inputs, Shape shape, DType type, Vjp? vjp,
        IEnumerable<AttributeProto>? attributes = null, string domain = "", string? name = null) =>
        EmitMany(op, inputs, [(shape, type)], vjp, attributes, domain, name is null ? null : [name])[0];

    internal Value[] EmitMany(string op, Value?[] inputs, (Shape Shape, DType Type)[] outputs, Vjp? vjp,
        IEnumerable<AttributeProto>? attributes = null, string domain = "", string[]? names = null)
    {
        foreach (var input in inputs)
            if (input is not null && input.Graph != this)
                throw new ArgumentException($"{op}: input {input.Name} belongs to graph {input.Graph.Name}, not {Name}");
        var node = new Node(op, domain, inputs, attributes?.ToList() ?? [], vjp);
        node.Outputs = outputs.Select((o, i) => NewValue(names?[i] ?? Unique(op), o.Type, o.Shape, node)).ToArray();
        _nodes.Add(node);
        return [.. node.Outputs];
    }

    internal string Unique(string stem)
    {
        string name;
        do name = $"{stem}_{_counter++}"; while (_byName.ContainsKey(name));
        return name;
    }

    private Value NewValue(string name, DType type, Shape shape, Node? producer)
    {
        if (_byName.ContainsKey(name)) throw new ArgumentException($"graph {Name} already has a value named {name}");
        var value = new Value(this, name, type, shape, producer);
        _byName[name] = value;
        return value;
    }

    /// <summary>
    /// The ONNX model computing <paramref name="outputs"/>. Nodes that do not reach an
    /// output are left out, and so are inputs and initializers nothing reads.
    /// </summary>
    public ModelProto ToModel(IEnumerable<Value> outputs, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var outputList = outputs.ToList();
        var live = LiveNodes(outputList);
        var graph = new GraphProto { Name = Name };
        var used = new HashSet<string>(outputList.Select(o => o.Name));
        foreach (var node in _nodes.Where(live.Contains))
        {
            var proto = new NodeProto { OpType = node.OpType, Domain = node.Domain, Name = node.Output.Name + "_node" };
            proto.Input.AddRange(node.Inputs.Select(i => i?.Name ?? ""));
            proto.Output.AddRange(node.Outputs.Select(o => o.Name));
            proto.Attribute.AddRange(node.Attributes);
            graph.Node.Add(proto);
            foreach (var i in node.Inputs) if (i is not null) used.Add(i.Name);
        }
        graph.Input.AddRange(_inputs.Where(i => used.Contains(i.Name)).Select(ValueInfo));
        graph.Initializer.AddRange(_initializers.Where(t => used.Contains(t.Name)));
        graph.Output.AddRange(outputList.Select(ValueInfo));

        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "InverseLearning", ProducerVersion = "1.0", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        if (graph.Node.Any(n => n.Domain == MlDomain))
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = MlOpsetVersion });
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    public byte[] ToBytes(IEnumerable<Value> outputs, IReadOnlyDictionary<string, string>? metadata = null) =>
        ToModel(outputs, metadata).ToByteArray();

    private HashSet<Node> LiveNodes(IEnumerable<Value> outputs)
    {
        var live = new HashSet<Node>();
        var stack = new Stack<Value>(outputs);
        while (stack.Count > 0)
        {
            var producer = stack.Pop().Producer;
            if (producer is null || !live.Add(producer)) continue;
            foreach (var input in producer.Inputs) if (input is not null) stack.Push(input);
        }
        return live;
    }

    private static ValueInfoProto ValueInfo(Value value)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in value.Shape.Dims)
            shape.Dim.Add(dim.IsStatic ? new TensorShapeProto.Types.Dimension { DimValue = dim.Size } : new TensorShapeProto.Types.Dimension { DimParam = dim.Symbol });
        return new ValueInfoProto
        {
            Name = value.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)value.Type, Shape = shape } },
        };
    }
}
