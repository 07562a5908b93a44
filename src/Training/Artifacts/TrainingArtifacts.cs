using InverseLearning.Data;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// The training graphs in ORT's on-device training layout, as standard ONNX models any
/// runtime can execute: `training_model.onnx` (working set → loss and "{p}.grad" per
/// parameter), `eval_model.onnx` (working set → loss and logits), `optimizer_model.onnx`
/// (parameter, gradient and state → updated parameter and state). The trainer itself
/// runs them fused into one graph per step; these are the same computations, split.
/// </summary>
public static class TrainingArtifacts
{
    public const string TrainingModel = "training_model.onnx", EvalModel = "eval_model.onnx", OptimizerModel = "optimizer_model.onnx";

    public static string Gradient(string name) => name + ".grad";

    /// <summary>
    /// Builds all three graphs, then writes them together: a failure while building, or a kill while writing,
    /// never leaves one run's training graph beside another's optimizer graph.
    /// </summary>
    public static void Write(string directory, IRecommender model, Func<WorkingSetInputs, Value, Value> objective, IOptimizer optimizer)
    {
        var training = Training(model, objective);
        var eval = Eval(model, objective);
        var optimizerGraph = Optimizer(model, optimizer);
        AtomicFile.WriteTogether([
            (Path.Combine(directory, TrainingModel), stream => stream.Write(training)),
            (Path.Combine(directory, EvalModel), stream => stream.Write(eval)),
            (Path.Combine(directory, OptimizerModel), stream => stream.Write(optimizerGraph)),
        ]);
    }

    public static byte[] Training(IRecommender model, Func<WorkingSetInputs, Value, Value> objective)
    {
        var g = new GraphBuilder("training_model");
        var x = new WorkingSetInputs(g, model);
        var loss = objective(x, x.Logits());
        var gradients = Autodiff.Gradients(loss, x.Parameters);
        return g.ToBytes([g.Named(loss, StepGraphs.Loss), .. x.Parameters.Zip(gradients, (p, d) => g.Named(d, Gradient(p.Name)))]);
    }

    public static byte[] Eval(IRecommender model, Func<WorkingSetInputs, Value, Value> objective)
    {
        var g = new GraphBuilder("eval_model");
        var x = new WorkingSetInputs(g, model);
        var logits = x.Logits();
        return g.ToBytes([g.Named(objective(x, logits), StepGraphs.Loss), g.Named(logits, StepGraphs.Logits)]);
    }

    public static byte[] Optimizer(IRecommender model, IOptimizer optimizer)
    {
        var g = new GraphBuilder("optimizer_model");
        var lr = g.Input(StepGraphs.LearningRate, DType.Float);
        var step = g.Input(StepGraphs.StepCount, DType.Float);
        var outputs = new List<Value>();
        var parameters = model.Embeddings.Select(e => (e.Name, Shape: new[] { Dim.Named(e.Name + "_rows"), new Dim(e.Dim) }))
            .Concat(model.Dense.Select(d => (d.Name, Shape: d.Shape.Select(s => new Dim(s)).ToArray())));
        foreach (var (name, shape) in parameters)
        {
            var parameter = g.Input(name, DType.Float, shape);
            var gradient = g.Input(Gradient(name), DType.Float, shape);
            var state = optimizer.StateNames.Select(s => g.Input(StepGraphs.State(name, s), DType.Float, shape)).ToArray();
            var (updated, newState) = optimizer.Update(g, parameter, gradient, state, lr, step);
            outputs.Add(g.Named(updated, StepGraphs.New(name)));
            outputs.AddRange(newState.Select((s, k) => g.Named(s, StepGraphs.New(StepGraphs.State(name, optimizer.StateNames[k])))));
        }
        return g.ToBytes(outputs);
    }
}
