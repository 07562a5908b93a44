using InverseLearning.Training.Graph;
using InverseLearning.Training.Losses;
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
    public const string Loss = "loss", LearningRate = "lr", StepCount = "step", SampleLearningRate = "sample_lr";
    public const string Users = "user", Items = "item", Logits = "logit", CandidateLosses = "candidate_losses";

    public static string New(string name) => name + ".new";
    public static string Plus(string name) => name + ".plus";
    public static string Minus(string name) => name + ".minus";
    public static string State(string name, string state) => $"{name}.{state}";

    /// <summary>Forward, loss, gradients and optimizer update fused into one graph: one ORT run per step.</summary>
    public static byte[] TrainStep(IRecommender model, Func<WorkingSetInputs, Value, Value> loss, IOptimizer optimizer)
    {
        var g = new GraphBuilder("train_step");
        var x = new WorkingSetInputs(g, model);
        var lr = g.Input(LearningRate, DType.Float);
        var step = g.Input(StepCount, DType.Float);
        var objective = loss(x, x.Logits());
        var gradients = Autodiff.Gradients(objective, x.Parameters);
        var outputs = new List<Value> { g.Named(objective, Loss) };
        foreach (var (parameter, gradient) in x.Parameters.Zip(gradients))
        {
            var state = optimizer.StateNames.Select(s => g.Input(State(parameter.Name, s), DType.Float, [.. parameter.Shape.Dims])).ToArray();
            var (updated, newState) = optimizer.Update(g, parameter, gradient, state, lr, step);
            outputs.Add(g.Named(updated, New(parameter.Name)));
            outputs.AddRange(newState.Select((s, k) => g.Named(s, New(State(parameter.Name, optimizer.StateNames[k])))));
        }
        return g.ToBytes(outputs);
    }

    /// <summary>
    /// Inverse Gradient's candidates in one graph: from the gradient of the IDL
    /// objective <paramref name="sampleLoss"/>, θ⁺ = θ − η_s·d and θ⁻ = θ + η_s·d with d
    /// the optimizer's next direction, and the labeled rows' BCE at θ⁺, θ⁻ and θ.
    /// </summary>
    public static byte[] Candidates(IRecommender model, Func<WorkingSetInputs, Value, Value> sampleLoss, IOptimizer optimizer)
    {
        var g = new GraphBuilder("ig_candidates");
        var x = new WorkingSetInputs(g, model);
        var sampleLr = g.Input(SampleLearningRate, DType.Float);
        var step = g.Input(StepCount, DType.Float);
        var logits = x.Logits();     // shared by the IDL gradient and L⁰
        var gradients = Autodiff.Gradients(sampleLoss(x, logits), x.Parameters);
        var plus = new List<Value>();
        var minus = new List<Value>();
        foreach (var (parameter, gradient) in x.Parameters.Zip(gradients))
        {
            var state = optimizer.StateNames.Select(s => g.Input(State(parameter.Name, s), DType.Float, [.. parameter.Shape.Dims])).ToArray();
            var move = g.Mul(sampleLr, g.StopGradient(optimizer.PeekDirection(g, gradient, state, step)));
            plus.Add(g.Named(g.Sub(parameter, move), Plus(parameter.Name)));
            minus.Add(g.Named(g.Add(parameter, move), Minus(parameter.Name)));
        }
        var losses = g.Concat(0,
            g.Unsqueeze(LabeledBce(x, x.Logits(plus)), 0),
            g.Unsqueeze(LabeledBce(x, x.Logits(minus)), 0),
            g.Unsqueeze(LabeledBce(x, logits), 0));
        return g.ToBytes([g.Named(losses, CandidateLosses), .. plus, .. minus]);
    }

    /// <summary>Mean BCE over the labeled rows only (unlabeled rows weigh nothing).</summary>
    public static Value LabeledBce(WorkingSetInputs x, Value logits)
    {
        var g = x.G;
        var labeled = x.LabeledMask;
        return RowWeightedLoss.Compute(g, logits, g.Mul(labeled, x.Labels), g.Mul(labeled, g.Sub(g.Scalar(1), x.Labels)), g.Sum(labeled));
    }

    /// <summary>Logits for (user, item) index pairs, read from the full tables in place.</summary>
    public static byte[] Scoring(IRecommender model)
    {
        var g = new GraphBuilder("scoring");
        var n = Dim.Named("N");
        var users = g.Input(Users, DType.Int64, n);
        var items = g.Input(Items, DType.Int64, n);
        var rows = model.Embeddings.ToDictionary(e => e.Name, e =>
            g.Gather(g.Input(e.Name, DType.Float, Dim.Named(e.Side == TableSide.User ? "users" : "items"), e.Dim), e.Side == TableSide.User ? users : items));
        var dense = model.Dense.ToDictionary(d => d.Name, d => g.Input(d.Name, DType.Float, d.Shape.Select(s => new Dim(s)).ToArray()));
        return g.ToBytes([g.Named(model.Logits(g, rows, dense), Logits)]);
    }
}
