using InverseLearning.Training.Graph;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Methods;

/// <summary>Evaluates a method's objective, or its gradient w.r.t. the logits, run by ORT, on logits given directly.</summary>
internal static class LossProbe
{
    public static float Evaluate(Func<WorkingSetInputs, Value, Value> loss, float[] logits, float[] labels, float[] unlabeled,
        Dictionary<string, long[]>? extras = null) => Run(loss, logits, labels, unlabeled, extras, gradient: false)[0];

    /// <summary>d loss / d logits, by the project's autodiff, run by ORT.</summary>
    public static float[] Gradient(Func<WorkingSetInputs, Value, Value> loss, float[] logits, float[] labels, float[] unlabeled) =>
        Run(loss, logits, labels, unlabeled, null, gradient: true);

    private static float[] Run(Func<WorkingSetInputs, Value, Value> loss, float[] logits, float[] labels, float[] unlabeled,
        Dictionary<string, long[]>? extras, bool gradient)
    {
        var g = new GraphBuilder("probe");
        var x = new WorkingSetInputs(g, new Gmf(2));
        var s = g.Input("s", DType.Float, Dim.Named("R"));
        var value = loss(x, s);
        var output = gradient ? g.Named(Autodiff.Gradients(value, [s])[0], "out") : g.Named(value, "out");
        using var session = new InferenceSession(g.ToBytes([output]));
        var feeds = new Dictionary<string, OrtValue>
        {
            ["s"] = OrtValue.CreateTensorValueFromMemory(logits, [logits.Length]),
            [WorkingSetInputs.Label] = OrtValue.CreateTensorValueFromMemory(labels, [labels.Length]),
            [WorkingSetInputs.Unlabeled] = OrtValue.CreateTensorValueFromMemory(unlabeled, [unlabeled.Length]),
        };
        foreach (var (name, data) in extras ?? []) feeds[name] = OrtValue.CreateTensorValueFromMemory(data, [data.Length]);
        var wanted = feeds.Where(f => session.InputMetadata.ContainsKey(f.Key)).ToDictionary();
        using var results = session.Run(new RunOptions(), wanted, ["out"]);
        foreach (var v in feeds.Values) v.Dispose();
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static double Bce(double s, double y) => Math.Max(s, 0) - s * y + Math.Log(1 + Math.Exp(-Math.Abs(s)));
    public static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));
}
