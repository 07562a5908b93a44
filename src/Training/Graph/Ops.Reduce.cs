namespace InverseLearning.Training.Graph;

// Reductions: the gradient is the output gradient broadcast back over the reduced axes.
public sealed partial class GraphBuilder
{
    public Value ReduceSum(Value x, long[] axes, bool keepDims = false) =>
        Emit("ReduceSum", [x, Constant(axes, "axes")], Reduced(x.Shape, axes, keepDims), x.Type,
            (n, dy) => [Expand(keepDims ? dy[0]! : Unsqueeze(dy[0]!, axes), n.Input(0))],
            [Attr.Int("keepdims", keepDims ? 1 : 0)]);

    /// <summary>Sum of every element, as a scalar.</summary>
    public Value Sum(Value x) => ReduceSum(x, AllAxes(x));

    // Opset 17's ReduceMean takes its axes as an attribute (ReduceSum moved them to an input in 13).
    public Value ReduceMean(Value x, long[] axes, bool keepDims = false) =>
        Emit("ReduceMean", [x], Reduced(x.Shape, axes, keepDims), x.Type, (n, dy) =>
        {
            var spread = Expand(keepDims ? dy[0]! : Unsqueeze(dy[0]!, axes), n.Input(0));
            var count = Div(Cast(Size(n.Input(0)), x.Type), Cast(Size(n.Output), x.Type));
            return [Div(spread, count)];
        },
        [Attr.Ints("axes", axes), Attr.Int("keepdims", keepDims ? 1 : 0)]);

    /// <summary>Mean of every element, as a scalar.</summary>
    public Value Mean(Value x) => ReduceMean(x, AllAxes(x));

    /// <summary>Broadcasts <paramref name="x"/> to the run-time shape of <paramref name="like"/>.</summary>
    public Value Expand(Value x, Value like) =>
        Emit("Expand", [x, ShapeOf(like)], Shape.Broadcast(x.Shape, like.Shape), x.Type,
            (n, dy) => [ReduceTo(dy[0]!, n.Input(0)), null]);

    private static long[] AllAxes(Value x) => Enumerable.Range(0, x.Shape.Rank).Select(i => (long)i).ToArray();

    private static Shape Reduced(Shape shape, long[] axes, bool keepDims)
    {
        var normalized = axes.Select(a => a < 0 ? a + shape.Rank : a).ToHashSet();
        var dims = new List<Dim>();
        for (var i = 0; i < shape.Rank; i++)
            if (!normalized.Contains(i)) dims.Add(shape.Dims[i]);
            else if (keepDims) dims.Add(1);
        return new Shape([.. dims]);
    }
}
