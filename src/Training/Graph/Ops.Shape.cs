namespace InverseLearning.Training.Graph;

// Ops that move elements around without changing them; each gradient moves them back.
public sealed partial class GraphBuilder
{
    /// <summary>Reshape to a static pattern; -1 marks the one dimension inferred at run time.</summary>
    public Value Reshape(Value x, params long[] shape)
    {
        var symbolic = x.Shape.Dims.Where(d => !d.IsStatic).Distinct().ToList();
        var inferred = symbolic.Count == 0
            ? new Dim(x.Shape.Dims.Aggregate(1L, (p, d) => p * d.Size) / shape.Where(s => s >= 0).Aggregate(1L, (p, s) => p * s))
            : symbolic.Count == 1 ? symbolic[0] : Dim.Named(Unique("dim"));
        var dims = shape.Select(s => s >= 0 ? new Dim(s) : inferred).ToArray();
        return Emit("Reshape", [x, Constant(shape, "shape")], new Shape(dims), x.Type,
            (n, dy) => [Emit("Reshape", [dy[0]!, ShapeOf(n.Input(0))], n.Input(0).Shape, dy[0]!.Type, null), null]);
    }

    /// <summary>
    /// <paramref name="x"/> in the run-time shape of <paramref name="like"/>, refused at run time when their element counts differ
    /// (allowzero: an empty <paramref name="like"/> asks for an empty result, where 0 would otherwise mean "keep x's dimension").
    /// </summary>
    public Value ReshapeLike(Value x, Value like) =>
        Emit("Reshape", [x, ShapeOf(like)], like.Shape, x.Type,
            (n, dy) => [Emit("Reshape", [dy[0]!, ShapeOf(n.Input(0))], n.Input(0).Shape, dy[0]!.Type, null), null], [Attr.Int("allowzero", 1)]);

    public Value Squeeze(Value x, params long[] axes)
    {
        var normalized = axes.Select(a => a < 0 ? a + x.Shape.Rank : a).ToHashSet();
        var dims = x.Shape.Dims.Where((_, i) => !normalized.Contains(i)).ToArray();
        return Emit("Squeeze", [x, Constant(axes, "axes")], new Shape(dims), x.Type,
            (n, dy) => [Unsqueeze(dy[0]!, axes), null]);
    }

    public Value Unsqueeze(Value x, params long[] axes)
    {
        var rank = x.Shape.Rank + axes.Length;
        var inserted = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        var dims = new Dim[rank];
        var source = 0;
        for (var i = 0; i < rank; i++) dims[i] = inserted.Contains(i) ? new Dim(1) : x.Shape.Dims[source++];
        return Emit("Unsqueeze", [x, Constant(axes, "axes")], new Shape(dims), x.Type,
            (n, dy) => [Squeeze(dy[0]!, axes), null]);
    }

    public Value Transpose(Value x, params long[] perm)
    {
        var inverse = new long[perm.Length];
        for (var i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return Emit("Transpose", [x], new Shape(perm.Select(p => x.Shape.Dims[(int)p]).ToArray()), x.Type,
            (n, dy) => [Transpose(dy[0]!, inverse)], [Attr.Ints("perm", perm)]);
    }

    /// <summary>Joins along <paramref name="axis"/>; the gradient is split back at the run-time sizes of the parts.</summary>
    public Value Concat(long axis, params Value[] parts)
    {
        var rank = parts[0].Shape.Rank;
        var a = (int)(axis < 0 ? axis + rank : axis);
        var sizes = parts.Select(p => p.Shape[a]).ToList();
        var joined = sizes.All(d => d.IsStatic) ? new Dim(sizes.Sum(d => d.Size)) : Dim.Named(Unique("concat"));
        var dims = parts[0].Shape.Dims.Select((d, i) => i == a ? joined : d).ToArray();
        return Emit("Concat", parts, new Shape(dims), parts[0].Type, (n, dy) =>
        {
            var partSizes = Concat(0, n.Inputs.Select(p => Gather(ShapeOf(p!), Constant([(long)a], "axis"))).ToArray());
            return SplitDynamic(dy[0]!, partSizes, a, n.Inputs.Select(p => p!.Shape).ToArray());
        }, [Attr.Int("axis", a)]);
    }

    /// <summary>Splits along <paramref name="axis"/> into parts of static sizes.</summary>
    public Value[] Split(Value x, long axis, params long[] sizes)
    {
        var a = (int)(axis < 0 ? axis + x.Shape.Rank : axis);
        var shapes = sizes.Select(s => new Shape(x.Shape.Dims.Select((d, i) => i == a ? new Dim(s) : d).ToArray())).ToArray();
        return SplitDynamic(x, Constant(sizes, "split"), a, shapes);
    }

    private Value[] SplitDynamic(Value x, Value sizes, int axis, Shape[] shapes) =>
        EmitMany("Split", [x, sizes], shapes.Select(s => (s, x.Type)).ToArray(), (n, dys) =>
        {
            var parts = dys.Select((dy, i) => dy ?? ZerosLike(n.Outputs[i])).ToArray();
            return [Concat(axis, parts), null];
        }, [Attr.Int("axis", axis)]);

    /// <summary>x[starts:ends] along <paramref name="axes"/> (step 1; ends clamp to the size). Sliced axes must have static sizes.</summary>
    public Value Slice(Value x, long[] starts, long[] ends, long[] axes)
    {
        var dims = x.Shape.Dims.ToArray();
        var padsBegin = new long[dims.Length];
        var padsEnd = new long[dims.Length];
        for (var k = 0; k < axes.Length; k++)
        {
            var axis = (int)(axes[k] < 0 ? axes[k] + dims.Length : axes[k]);
            var size = dims[axis].IsStatic ? dims[axis].Size : throw new ArgumentException($"Slice needs a static size on axis {axis} of {x}");
            var begin = Math.Clamp(starts[k] < 0 ? starts[k] + size : starts[k], 0, size);
            var end = Math.Clamp(ends[k] < 0 ? ends[k] + size : ends[k], begin, size);
            dims[axis] = end - begin;
            padsBegin[axis] = begin;
            padsEnd[axis] = size - end;
        }
        return Emit("Slice", [x, Constant(starts, "starts"), Constant(ends, "ends"), Constant(axes, "axes")], new Shape(dims), x.Type,
            (n, dy) => [Emit("Pad", [dy[0]!, Constant([.. padsBegin, .. padsEnd], "pads")], n.Input(0).Shape, dy[0]!.Type, null), null, null, null]);
    }

    /// <summary>
    /// The first <paramref name="count"/> rows of <paramref name="x"/> (count: an int64 [1] vector known at run time,
    /// <paramref name="rows"/> its symbolic size); the gradient is padded back with zero rows.
    /// </summary>
    public Value Head(Value x, Value count, Dim rows)
    {
        var dims = x.Shape.Dims.ToArray();
        dims[0] = rows;
        return Emit("Slice", [x, Constant([0L], "starts"), count, Constant([0L], "axes")], new Shape(dims), x.Type,
            (n, dy) => [PadRowsLike(dy[0]!, n.Input(0)), null, null, null]);
    }

    /// <summary>
    /// <paramref name="x"/> followed by zero rows up to the run-time row count of <paramref name="like"/>;
    /// the gradient is its own first rows back.
    /// </summary>
    public Value PadRowsLike(Value x, Value like)
    {
        var rank = x.Shape.Rank;
        var endOfRows = Sub(RowCount(like), RowCount(x));
        // ONNX pads: every axis's begin, then every axis's end; only axis 0's end is non-zero.
        Value[] parts = rank == 1 ? [Constant(new long[1], "pads_begin"), endOfRows]
            : [Constant(new long[rank], "pads_begin"), endOfRows, Constant(new long[rank - 1], "pads_end")];
        var pads = Concat(0, parts);
        var dims = x.Shape.Dims.ToArray();
        dims[0] = like.Shape[0];
        return Emit("Pad", [x, pads], new Shape(dims), x.Type, (n, dy) => [Head(dy[0]!, RowCount(n.Input(0)), n.Input(0).Shape[0]), null]);
    }

    /// <summary>The run-time size of axis 0 as an int64 [1] vector.</summary>
    public Value RowCount(Value x) => Slice(ShapeOf(x), [0], [1], [0]);

    /// <summary>The run-time shape of <paramref name="x"/> as an int64 vector.</summary>
    public Value ShapeOf(Value x) => Emit("Shape", [x], new Shape(x.Shape.Rank), DType.Int64, null);

    /// <summary>The run-time element count of <paramref name="x"/> as an int64 scalar.</summary>
    public Value Size(Value x) => Emit("Size", [x], Shape.Scalar, DType.Int64, null);

    public Value ZerosLike(Value x) =>
        Emit("ConstantOfShape", [ShapeOf(x)], x.Shape, x.Type, null, [Attr.Tensor("value", TensorProtos.FromDoubles("zero", x.Type, [0.0], 1))]);
}
