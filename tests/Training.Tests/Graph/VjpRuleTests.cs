using InverseLearning.Training.Graph;
using static InverseLearning.Training.Tests.Graph.GradientCheck;

namespace InverseLearning.Training.Tests.Graph;

/// <summary>Every op's VJP rule against central finite differences in float64, executed by ORT.</summary>
public class VjpRuleTests
{
    private static readonly Random Rng = new(7);
    private static Dictionary<string, Tensor> In(params (string Name, Tensor T)[] xs) => xs.ToDictionary(x => x.Name, x => x.T);

    [Fact] public void Add_broadcasts() => Check((g, v) => g.Add(v["a"], v["b"]), In(("a", Random(Rng, 3, 4)), ("b", Random(Rng, 1, 4))), ["a", "b"]);
    [Fact] public void Sub_broadcasts_rank() => Check((g, v) => g.Sub(v["a"], v["b"]), In(("a", Random(Rng, 3, 4)), ("b", Random(Rng, 4))), ["a", "b"]);
    [Fact] public void Mul_broadcasts_column() => Check((g, v) => g.Mul(v["a"], v["b"]), In(("a", Random(Rng, 3, 4)), ("b", Random(Rng, 3, 1))), ["a", "b"]);
    [Fact] public void Div() => Check((g, v) => g.Div(v["a"], v["b"]), In(("a", Random(Rng, 2, 3)), ("b", AwayFromZero(Rng, 2, 3))), ["a", "b"]);
    [Fact] public void Pow() => Check((g, v) => g.Pow(g.Add(g.Abs(v["a"]), g.Scalar(0.5, DType.Double)), v["b"]), In(("a", AwayFromZero(Rng, 2, 3)), ("b", Random(Rng, 2, 3))), ["a", "b"]);
    [Fact] public void Neg() => Check((g, v) => g.Neg(v["a"]), In(("a", Random(Rng, 5))), ["a"]);
    [Fact] public void Exp() => Check((g, v) => g.Exp(v["a"]), In(("a", Random(Rng, 5))), ["a"]);
    [Fact] public void Log() => Check((g, v) => g.Log(v["a"]), In(("a", Positive(5))), ["a"]);
    [Fact] public void Sqrt() => Check((g, v) => g.Sqrt(v["a"]), In(("a", Positive(5))), ["a"]);
    [Fact] public void Abs() => Check((g, v) => g.Abs(v["a"]), In(("a", AwayFromZero(Rng, 6))), ["a"]);
    [Fact] public void Relu() => Check((g, v) => g.Relu(v["a"]), In(("a", AwayFromZero(Rng, 2, 4))), ["a"]);
    [Fact] public void Sigmoid() => Check((g, v) => g.Sigmoid(v["a"]), In(("a", Random(Rng, 2, 4))), ["a"]);
    // ORT implements Softplus for float32 only, so this one is checked in float32 precision.
    [Fact] public void Softplus() => Check((g, v) => g.Cast(g.Softplus(g.Cast(v["a"], DType.Float)), DType.Double), In(("a", Random(Rng, 2, 4))), ["a"], eps: 1e-2, tolerance: 1e-3);
    [Fact] public void Max_both_sides() => Check((g, v) => g.Max(v["a"], v["b"]), In(("a", Random(Rng, 3, 3)), ("b", Random(Rng, 3, 3))), ["a", "b"]);
    [Fact]
    public void Max_at_a_tie_gives_the_gradient_to_its_first_operand()
    {
        // Σ max(x, sg(x)) ties everywhere: the gradient goes to x, not to the stopped second operand.
        var gradient = AnalyticGradient((g, x) => g.Sum(g.Max(x, g.StopGradient(x))), Random(Rng, 5));
        Assert.All(gradient, d => Assert.Equal(1.0, d));
    }

    [Fact]
    public void Min_at_a_tie_gives_the_gradient_to_its_first_operand()
    {
        var gradient = AnalyticGradient((g, x) => g.Sum(g.Min(x, g.StopGradient(x))), Random(Rng, 5));
        Assert.All(gradient, d => Assert.Equal(1.0, d));
    }

    [Fact] public void Min_both_sides() => Check((g, v) => g.Min(v["a"], v["b"]), In(("a", Random(Rng, 3, 3)), ("b", Random(Rng, 3, 3))), ["a", "b"]);
    [Fact] public void Where_routes_gradient() => Check((g, v) => g.Where(g.Greater(v["c"], g.Scalar(0, DType.Double)), v["a"], v["b"]),
        In(("a", Random(Rng, 2, 3)), ("b", Random(Rng, 1, 3)), ("c", AwayFromZero(Rng, 2, 3))), ["a", "b"]);
    [Fact] public void Cast_roundtrip() => Check((g, v) => g.Cast(g.Mul(g.Cast(v["a"], DType.Float), g.Cast(v["a"], DType.Float)), DType.Double),
        In(("a", Random(Rng, 4))), ["a"], tolerance: 1e-3, eps: 1e-3);
    [Fact] public void Identity() => Check((g, v) => g.Mul(g.Identity(v["a"]), v["a"]), In(("a", Random(Rng, 4))), ["a"]);

    [Fact]
    public void StopGradient_blocks_its_branch()
    {
        // d/da Σ a·sg(a) = sg(a) = a, where the unblocked function a² would give 2a.
        var a = Random(Rng, 4);
        var gradient = AnalyticGradient((g, x) => g.Sum(g.Mul(x, g.StopGradient(x))), a);
        for (var i = 0; i < a.Data.Length; i++) Assert.Equal(a.Data[i], gradient[i], 12);
    }

    [Fact] public void MatMul() => Check((g, v) => g.MatMul(v["a"], v["b"]), In(("a", Random(Rng, 3, 4)), ("b", Random(Rng, 4, 2))), ["a", "b"]);
    [Fact] public void Gemm() => Check((g, v) => g.Gemm(v["a"], v["b"], v["c"]), In(("a", Random(Rng, 3, 4)), ("b", Random(Rng, 4, 2)), ("c", Random(Rng, 2))), ["a", "b", "c"]);
    [Fact] public void Gemm_transposed() => Check((g, v) => g.Gemm(v["a"], v["b"], v["c"], transposeB: true), In(("a", Random(Rng, 3, 4)), ("b", Random(Rng, 2, 4)), ("c", Random(Rng, 1, 2))), ["a", "b", "c"]);
    [Fact] public void Transpose() => Check((g, v) => g.Transpose(v["a"], 1, 0), In(("a", Random(Rng, 2, 3))), ["a"]);

    [Fact]
    public void Gather_accumulates_repeated_rows() =>
        Check((g, v) => g.Gather(v["table"], v["idx"]), In(("table", Random(Rng, 5, 3))), ["table"], new() { ["idx"] = [4, 0, 4, 2, 4] });

    [Fact]
    public void ScatterAdd_adds_updates_and_routes_their_gradient() =>
        Check((g, v) => g.ScatterAdd(v["data"], v["idx"], v["updates"]), In(("data", Random(Rng, 4, 3)), ("updates", Random(Rng, 3, 3))),
            ["data", "updates"], new() { ["idx"] = [2, 0, 2] });

    [Fact]
    public void Broadcast_over_a_symbolic_batch_dimension_reduces_to_the_operand()
    {
        // A [N, 3] input with N symbolic times a [1, 3] row: d/d(row) sums over the batch.
        var a = Random(Rng, 4, 3);
        var row = Random(Rng, 1, 3);
        var g = new GraphBuilder("symbolic");
        var x = g.Input("x", DType.Double, Dim.Named("N"), 3);
        var r = g.Input("r", DType.Double, 1, 3);
        var dr = g.Named(Autodiff.Gradients(g.Sum(g.Mul(x, r)), [r])[0], "dr");
        Assert.Equal(row.Shape.Select(d => new Dim(d)), dr.Shape.Dims);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(g.ToBytes([dr]));
        using var xv = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(a.Data, a.Shape);
        using var rv = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(row.Data, row.Shape);
        using var result = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(),
            new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["x"] = xv, ["r"] = rv }, ["dr"]);
        var gradient = result[0].GetTensorDataAsSpan<double>().ToArray();
        for (var k = 0; k < 3; k++) Assert.Equal(Enumerable.Range(0, 4).Sum(i => a.Data[i * 3 + k]), gradient[k], 10);
    }

    [Fact] public void Concat() => Check((g, v) => g.Concat(1, v["a"], v["b"]), In(("a", Random(Rng, 2, 3)), ("b", Random(Rng, 2, 2))), ["a", "b"]);
    // Head's rule pads its gradient back with zero rows and PadRowsLike's takes the head again: checked through each other.
    [Fact]
    public void Head_then_pad_back_rows() => Check((g, v) => g.Mul(g.PadRowsLike(g.Head(v["a"], v["n"], Dim.Named("h")), v["a"]), v["a"]),
        In(("a", Random(Rng, 4, 3))), ["a"], intInputs: new() { ["n"] = [2] });

    [Fact]
    public void Head_then_pad_back_a_vector() => Check((g, v) => g.Mul(g.PadRowsLike(g.Mul(g.Head(v["a"], v["n"], Dim.Named("h")), g.Head(v["b"], v["n"], Dim.Named("h"))), v["a"]), v["b"]),
        In(("a", Random(Rng, 5)), ("b", Random(Rng, 5))), ["a", "b"], intInputs: new() { ["n"] = [3] });

    [Fact] public void Slice() => Check((g, v) => g.Slice(v["a"], [1], [3], [1]), In(("a", Random(Rng, 2, 4))), ["a"]);

    [Fact]
    public void Split_with_unused_part() => Check((g, v) =>
    {
        var parts = g.Split(v["a"], 1, 1, 3, 1);
        return g.Concat(1, parts[0], g.Mul(parts[2], parts[2]));
    }, In(("a", Random(Rng, 2, 5))), ["a"]);

    [Fact] public void Reshape() => Check((g, v) => g.Reshape(v["a"], 3, -1), In(("a", Random(Rng, 2, 6))), ["a"]);
    [Fact] public void ReshapeLike() => Check((g, v) => g.Mul(g.ReshapeLike(v["a"], v["b"]), v["b"]), In(("a", Random(Rng, 2, 6)), ("b", Random(Rng, 3, 4))), ["a", "b"]);
    [Fact] public void Squeeze_Unsqueeze() => Check((g, v) => g.Unsqueeze(g.Squeeze(v["a"], 1), 0), In(("a", Random(Rng, 3, 1))), ["a"]);
    [Fact] public void ReduceSum_axis() => Check((g, v) => g.ReduceSum(v["a"], [1]), In(("a", Random(Rng, 3, 4))), ["a"]);
    [Fact] public void ReduceSum_keepdims() => Check((g, v) => g.Mul(g.ReduceSum(v["a"], [0], keepDims: true), v["a"]), In(("a", Random(Rng, 3, 4))), ["a"]);
    [Fact] public void ReduceMean_axis() => Check((g, v) => g.ReduceMean(v["a"], [0]), In(("a", Random(Rng, 3, 4))), ["a"]);
    [Fact] public void Mean_all() => Check((g, v) => g.Mean(g.Mul(v["a"], v["a"])), In(("a", Random(Rng, 3, 4))), ["a"]);
    [Fact] public void Expand() => Check((g, v) => g.Mul(g.Expand(v["b"], v["a"]), v["a"]), In(("a", Random(Rng, 3, 4)), ("b", Random(Rng, 1, 4))), ["a", "b"]);

    [Fact]
    public void Value_used_twice_sums_both_paths() =>
        Check((g, v) => g.Add(g.Mul(v["a"], v["a"]), g.Exp(v["a"])), In(("a", Random(Rng, 4))), ["a"]);

    private static Tensor Positive(int n)
    {
        var t = Random(Rng, n);
        for (var i = 0; i < n; i++) t.Data[i] = Math.Abs(t.Data[i]) + 0.2;
        return t;
    }
}
