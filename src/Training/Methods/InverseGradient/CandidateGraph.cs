using InverseLearning.Training.Graph;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods.InverseGradient;

/// <summary>
/// IG's candidates in one graph: from the gradient g of the IDL objective on the unlabeled
/// rows, θ⁺ = θ − η_s·d and θ⁻ = θ + η_s·d with d the optimizer's next direction (peeked,
/// no state committed), and the labeled rows' BCE at θ⁺, θ⁻ and θ. Only the working set
/// is computed: candidates differ from θ in no other row.
/// </summary>
public static class CandidateGraph
{
    public const string SampleLearningRate = "sample_lr", Losses = "candidate_losses";

    public static string Plus(string name) => name + ".plus";
    public static string Minus(string name) => name + ".minus";

    public static byte[] Build(IRecommender model, IOptimizer optimizer)
    {
        var g = new GraphBuilder("ig_candidates");
        var x = new WorkingSetInputs(g, model);
        var sampleLr = g.Input(SampleLearningRate, DType.Float);
        var step = g.Input(StepGraphs.StepCount, DType.Float);
        var logits = x.Logits();     // shared by the IDL gradient and L⁰
        var gradients = Autodiff.Gradients(InverseDualLoss.UnlabeledOnly(x, logits), x.Parameters);
        var plus = new List<Value>();
        var minus = new List<Value>();
        foreach (var (parameter, gradient) in x.Parameters.Zip(gradients))
        {
            var state = StepGraphs.StateInputs(g, parameter, optimizer);
            var move = g.Mul(sampleLr, g.StopGradient(optimizer.PeekDirection(g, gradient, state, step)));
            plus.Add(g.Named(g.Sub(parameter, move), Plus(parameter.Name)));
            minus.Add(g.Named(g.Add(parameter, move), Minus(parameter.Name)));
        }
        var losses = g.Concat(0,
            g.Unsqueeze(Objectives.LabeledBce(x, x.Logits(plus)), 0),
            g.Unsqueeze(Objectives.LabeledBce(x, x.Logits(minus)), 0),
            g.Unsqueeze(Objectives.LabeledBce(x, logits), 0));
        return g.ToBytes([g.Named(losses, Losses), .. plus, .. minus]);
    }
}
