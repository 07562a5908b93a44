using InverseLearning.Training.Graph;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// The graphs the trainer runs. Names: a parameter's working-set input is its own name,
/// its optimizer state "{name}.{state}", and updated values "{name}.new" /
/// "{name}.{state}.new".
/// </summary>
public static class StepGraphs
{
    public const string Loss = "loss", LearningRate = "lr", StepCount = "step";
    public const string Users = "user", Items = "item", Logits = "logit";

    public static string New(string name) => name + ".new";
    public static string State(string name, string state) => $"{name}.{state}";

    /// <summary>Forward, loss, gradients and optimizer update fused into one graph: one ORT run per step.</summary>
    public static byte[] TrainStep(IRecommender model, Func<WorkingSetInputs, Value, Value> loss, IOptimizer optimizer)
    {
        var g = new GraphBuilder("train_step");
        var x = new WorkingSetInputs(g, model);
        var lr = g.Input(LearningRate, DType.Float);
        var step = g.Input(StepCount, DType.Float);
        var parameters = x.Parameters;
        return g.ToBytes(StepOutputs(g, loss(x, x.Logits()), parameters, parameters, p => StateInputs(g, p, optimizer), optimizer, lr, step));
    }

    /// <summary>
    /// The outputs of one optimizer step on <paramref name="objective"/>: the loss, then per
    /// parameter its updated value and state under the names <see cref="New"/> gives. The
    /// gradient is taken at <paramref name="start"/> (the parameters themselves, or values a
    /// graph computed from them, such as IG's chosen candidate), and the update starts there.
    /// </summary>
    public static List<Value> StepOutputs(GraphBuilder g, Value objective, IReadOnlyList<Value> parameters, IReadOnlyList<Value> start,
        Func<Value, Value[]> stateOf, IOptimizer optimizer, Value lr, Value step)
    {
        var gradients = Autodiff.Gradients(objective, start);
        var outputs = new List<Value> { g.Named(objective, Loss) };
        for (var k = 0; k < parameters.Count; k++)
        {
            var name = parameters[k].Name;
            var (updated, newState) = optimizer.Update(g, start[k], gradients[k], stateOf(parameters[k]), lr, step);
            outputs.Add(g.Named(updated, New(name)));
            outputs.AddRange(newState.Select((s, j) => g.Named(s, New(State(name, optimizer.StateNames[j])))));
        }
        return outputs;
    }

    /// <summary>The optimizer state inputs of <paramref name="parameter"/>, one per state name, of the parameter's shape.</summary>
    public static Value[] StateInputs(GraphBuilder g, Value parameter, IOptimizer optimizer) =>
        optimizer.StateNames.Select(s => g.Input(State(parameter.Name, s), DType.Float, [.. parameter.Shape.Dims])).ToArray();

    /// <summary>Logits for (user, item) index pairs, read from the full tables in place (a history model's derived user table among them).</summary>
    public static byte[] Scoring(IRecommender model)
    {
        var g = new GraphBuilder("scoring");
        var n = Dim.Named("N");
        var users = g.Input(Users, DType.Int64, n);
        var items = g.Input(Items, DType.Int64, n);
        var rows = model.ScoringTables.ToDictionary(e => e.Name, e =>
            g.Gather(g.Input(e.Name, DType.Float, Dim.Named(e.Side == TableSide.User ? "users" : "items"), e.Dim), e.Side == TableSide.User ? users : items));
        var dense = model.Dense.ToDictionary(d => d.Name, d => g.Input(d.Name, DType.Float, d.Shape.Select(s => new Dim(s)).ToArray()));
        return g.ToBytes([g.Named(model.Logits(g, rows, dense), Logits)]);
    }
}
