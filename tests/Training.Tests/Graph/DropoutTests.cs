using InverseLearning.Training.Graph;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Graph;

/// <summary>
/// Dropout draws a new mask at every run, so finite differences cannot check it; instead
/// its output and gradient are checked against the mask ORT drew in the same run.
/// </summary>
public class DropoutTests
{
    [Fact]
    public void Output_and_gradient_follow_the_drawn_mask()
    {
        const double ratio = 0.4;
        var g = new GraphBuilder("dropout");
        var x = g.Input("x", DType.Float, 1000);
        var w = g.Input("w", DType.Float, 1000);
        var y = g.Dropout(x, ratio, seed: 3);
        var mask = g.Named(y.Producer!.Outputs[1], "mask");
        var gradient = g.Named(Autodiff.Gradients(g.Sum(g.Mul(y, w)), [x])[0], "dx");
        var output = g.Named(y, "y");

        var rng = new Random(1);
        var xs = Enumerable.Range(0, 1000).Select(_ => (float)rng.NextDouble() + 0.5f).ToArray();
        var ws = Enumerable.Range(0, 1000).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        using var session = new InferenceSession(g.ToBytes([output, mask, gradient]));
        using var xv = OrtValue.CreateTensorValueFromMemory(xs, [1000]);
        using var wv = OrtValue.CreateTensorValueFromMemory(ws, [1000]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["x"] = xv, ["w"] = wv }, ["y", "mask", "dx"]);
        var (ys, kept, dx) = (results[0].GetTensorDataAsSpan<float>().ToArray(), results[1].GetTensorDataAsSpan<bool>().ToArray(), results[2].GetTensorDataAsSpan<float>().ToArray());

        for (var i = 0; i < 1000; i++)
        {
            var scale = kept[i] ? 1 / (1 - ratio) : 0;
            Assert.True(Math.Abs(xs[i] * scale - ys[i]) < 1e-4, $"y[{i}] = {ys[i]}, expected {xs[i] * scale}");
            Assert.True(Math.Abs(ws[i] * scale - dx[i]) < 1e-4, $"dx[{i}] = {dx[i]}, expected {ws[i] * scale}");
        }
        Assert.InRange(kept.Count(k => !k) / 1000.0, ratio - 0.06, ratio + 0.06);
    }
}
