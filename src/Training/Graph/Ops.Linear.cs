namespace InverseLearning.Training.Graph;

// Matrix products and row lookups.
public sealed partial class GraphBuilder
{
    /// <summary>[M,K]·[K,N] → [M,N].</summary>
    public Value MatMul(Value a, Value b)
    {
        if (a.Shape.Rank != 2 || b.Shape.Rank != 2) throw new ArgumentException($"MatMul takes matrices, got {a} and {b}");
        return Emit("MatMul", [a, b], new Shape(a.Shape[0], b.Shape[1]), a.Type,
            (n, dy) => [MatMul(dy[0]!, Transpose(n.Input(1), 1, 0)), MatMul(Transpose(n.Input(0), 1, 0), dy[0]!)]);
    }

    /// <summary>a·op(b) + c, with op(b) = bᵀ when <paramref name="transposeB"/>: a dense layer.</summary>
    public Value Gemm(Value a, Value b, Value c, bool transposeB = false)
    {
        var n = transposeB ? b.Shape[0] : b.Shape[1];
        return Emit("Gemm", [a, b, c], new Shape(a.Shape[0], n), a.Type, (node, dy) =>
        {
            var (x, w, g) = (node.Input(0), node.Input(1), dy[0]!);
            return [
                transposeB ? MatMul(g, w) : MatMul(g, Transpose(w, 1, 0)),
                transposeB ? MatMul(Transpose(g, 1, 0), x) : MatMul(Transpose(x, 1, 0), g),
                ReduceTo(g, node.Input(2))];
        }, [Attr.Int("transB", transposeB ? 1 : 0)]);
    }

    /// <summary>Rows of <paramref name="data"/> at <paramref name="indices"/>; the gradient scatter-adds back (rows hit twice get both).</summary>
    public Value Gather(Value data, Value indices) =>
        Emit("Gather", [data, indices], new Shape([.. indices.Shape.Dims, .. data.Shape.Dims.Skip(1)]), data.Type,
            (n, dy) => [ScatterAdd(ZerosLike(n.Input(0)), n.Input(1), dy[0]!), null], [Attr.Int("axis", 0)]);

    /// <summary>data with <paramref name="updates"/> added at rows <paramref name="indices"/> (ScatterND, reduction add).</summary>
    public Value ScatterAdd(Value data, Value indices, Value updates) =>
        Emit("ScatterND", [data, Unsqueeze(indices, -1), updates], data.Shape, data.Type,
            (n, dy) => [dy[0], null, Gather(dy[0]!, indices)], [Attr.String("reduction", "add")]);

    /// <summary>data with rows <paramref name="indices"/> replaced by <paramref name="updates"/> (no gradient: a store's write-back).</summary>
    public Value ScatterRows(Value data, Value indices, Value updates) => ScatterND(data, Unsqueeze(indices, -1), updates);

    /// <summary>data with the elements or slices at <paramref name="indices"/> ([N, rank of a slice's address]) replaced by <paramref name="updates"/> (no gradient).</summary>
    public Value ScatterND(Value data, Value indices, Value updates) =>
        Emit("ScatterND", [data, indices, updates], data.Shape, data.Type, null);

    /// <summary>
    /// Training-mode dropout: zeroes each element with probability <paramref name="ratio"/> and
    /// scales the rest by 1/(1 − ratio); the gradient passes through the same mask. ORT draws
    /// the mask from a generator seeded by <paramref name="seed"/>, so runs repeat.
    /// </summary>
    public Value Dropout(Value x, double ratio, long seed)
    {
        var outputs = EmitMany("Dropout", [x, Scalar(ratio, x.Type), Initializer(TensorProtos.Create<bool>(Unique("training"), DType.Bool, [true]))],
            [(x.Shape, x.Type), (x.Shape, DType.Bool)],
            (n, dy) => [Mul(dy[0]!, Mul(Cast(n.Outputs[1], x.Type), Scalar(1 / (1 - ratio), x.Type)))],
            [Attr.Int("seed", seed)]);
        return outputs[0];
    }

    /// <summary>The k largest values along the last axis and their indices (no gradient: used for selection only).</summary>
    public (Value Values, Value Indices) TopK(Value x, Value k)
    {
        var outShape = new Shape([.. x.Shape.Dims.SkipLast(1), Dim.Named(Unique("k"))]);
        var outs = EmitMany("TopK", [x, k], [(outShape, x.Type), (outShape, DType.Int64)], null, [Attr.Int("axis", -1), Attr.Int("largest", 1), Attr.Int("sorted", 1)]);
        return (outs[0], outs[1]);
    }

    /// <summary>data with elements at <paramref name="indices"/> along axis 0 replaced by <paramref name="updates"/> (no gradient).</summary>
    public Value ScatterElements(Value data, Value indices, Value updates) =>
        Emit("ScatterElements", [data, indices, updates], data.Shape, data.Type, null, [Attr.Int("axis", 0)]);

    /// <summary>Maps raw int64 ids to dense indices (ai.onnx.ml LabelEncoder); unknown ids get <paramref name="defaultIndex"/>.</summary>
    public Value LabelEncoder(Value ids, ReadOnlySpan<long> keys, ReadOnlySpan<long> values, long defaultIndex) =>
        Emit("LabelEncoder", [ids], ids.Shape, DType.Int64, null,
            [Attr.Ints("keys_int64s", keys.ToArray()), Attr.Ints("values_int64s", values.ToArray()), Attr.Int("default_int64", defaultIndex)],
            MlDomain);
}
