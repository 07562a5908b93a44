using InverseLearning.Training.Graph;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Graph;

/// <summary>
/// Checks a graph's autodiff gradients against central finite differences, both
/// computed by running the graph in ONNX Runtime in float64.
/// </summary>
internal static class GradientCheck
{
    public sealed record Tensor(double[] Data, long[] Shape);

    /// <summary>
    /// Builds loss = Σ w ⊙ f(inputs) with a fixed random weighting w (so every output
    /// element matters differently), differentiates it w.r.t. the inputs named in
    /// <paramref name="wrt"/>, and compares with finite differences.
    /// </summary>
    public static void Check(Func<GraphBuilder, IReadOnlyDictionary<string, Value>, Value> f,
        IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyList<string> wrt,
        Dictionary<string, long[]>? intInputs = null, double eps = 1e-6, double tolerance = 1e-6, int seed = 1)
    {
        var g = new GraphBuilder("check");
        var values = new Dictionary<string, Value>();
        foreach (var (name, t) in inputs) values[name] = g.Input(name, DType.Double, t.Shape.Select(d => new Dim(d)).ToArray());
        foreach (var (name, data) in intInputs ?? []) values[name] = g.Input(name, DType.Int64, data.Length);
        var y = f(g, values);
        var weights = Random(new Random(seed), y.Shape.Dims.Select(d => d.Size).ToArray());
        var w = g.Constant("w", DType.Double, weights.Data, weights.Shape);
        var loss = y.Shape.Rank == 0 ? g.Mul(y, g.Constant("w0", DType.Double, [weights.Data.FirstOrDefault(1.0)])) : g.Sum(g.Mul(y, w));
        if (loss.Shape.Rank != 0) loss = g.Sum(loss);
        var grads = Autodiff.Gradients(loss, wrt.Select(n => values[n]).ToList());
        var lossOut = g.Named(loss, "loss");
        var gradOuts = grads.Select((d, i) => g.Named(d, "grad_" + wrt[i])).ToList();

        using var session = new InferenceSession(g.ToBytes([lossOut, .. gradOuts]));
        var analytic = Run(session, inputs, intInputs, [.. gradOuts.Select(o => o.Name)]);

        for (var k = 0; k < wrt.Count; k++)
        {
            var x = inputs[wrt[k]];
            for (var i = 0; i < x.Data.Length; i++)
            {
                var original = x.Data[i];
                x.Data[i] = original + eps;
                var plus = Run(session, inputs, intInputs, ["loss"])[0][0];
                x.Data[i] = original - eps;
                var minus = Run(session, inputs, intInputs, ["loss"])[0][0];
                x.Data[i] = original;
                var numeric = (plus - minus) / (2 * eps);
                var error = Math.Abs(numeric - analytic[k][i]) / Math.Max(1.0, Math.Abs(numeric));
                Assert.True(error < tolerance,
                    $"d loss / d {wrt[k]}[{i}]: autodiff {analytic[k][i]:G10} vs finite difference {numeric:G10}");
            }
        }
    }

    /// <summary>The autodiff gradient of a scalar function of one input, run by ORT.</summary>
    public static double[] AnalyticGradient(Func<GraphBuilder, Value, Value> f, Tensor x)
    {
        var g = new GraphBuilder("gradient");
        var input = g.Input("x", DType.Double, x.Shape.Select(d => new Dim(d)).ToArray());
        var gradient = g.Named(Autodiff.Gradients(f(g, input), [input])[0], "dx");
        using var session = new InferenceSession(g.ToBytes([gradient]));
        return Run(session, new Dictionary<string, Tensor> { ["x"] = x }, null, ["dx"])[0];
    }

    public static Tensor Random(Random rng, params long[] shape)
    {
        var data = new double[shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        return new Tensor(data, shape);
    }

    /// <summary>Values kept away from zero (for ops with a kink or pole there).</summary>
    public static Tensor AwayFromZero(Random rng, params long[] shape)
    {
        var t = Random(rng, shape);
        for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (t.Data[i] >= 0 ? 0.3 : -0.3) + t.Data[i];
        return t;
    }

    private static double[][] Run(InferenceSession session, IReadOnlyDictionary<string, Tensor> inputs,
        Dictionary<string, long[]>? intInputs, string[] outputs)
    {
        var feeds = new Dictionary<string, OrtValue>();
        try
        {
            foreach (var (name, t) in inputs) feeds[name] = OrtValue.CreateTensorValueFromMemory(t.Data, t.Shape);
            foreach (var (name, data) in intInputs ?? []) feeds[name] = OrtValue.CreateTensorValueFromMemory(data, [data.Length]);
            using var results = session.Run(new RunOptions(), feeds, outputs);
            return results.Select(r => r.GetTensorDataAsSpan<double>().ToArray()).ToArray();
        }
        finally
        {
            foreach (var v in feeds.Values) v.Dispose();
        }
    }
}
