using InverseLearning.Training.Graph;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods.InverseGradient;

/// <summary>
/// IG's candidates: from the gradient g of the IDL objective on the unlabeled rows,
/// θ⁺ = θ − η_s·d and θ⁻ = θ + η_s·d with d the optimizer's next direction (peeked, no
/// state committed), and the labeled rows' BCE at θ⁺, θ⁻ and θ. Only the working set is
/// computed: candidates differ from θ in no other row. <see cref="MetaStep"/> fuses the
/// choice and the step from the chosen candidate into the same graph (one ORT run per
/// meta-step); <see cref="Build"/> outputs the candidates themselves.
/// </summary>
public static class CandidateGraph
{
    public const string SampleLearningRate = "sample_lr", Losses = "candidate_losses";

    public static string Plus(string name) => name + ".plus";
    public static string Minus(string name) => name + ".minus";

    /// <summary>The candidates θ⁺, θ⁻ (per parameter) and their losses L⁺, L⁻, L⁰, as outputs.</summary>
    public static byte[] Build(IRecommender model, IOptimizer optimizer)
    {
        var g = new GraphBuilder("ig_candidates");
        var c = new Candidates(g, model, optimizer);
        var plus = c.Plus.Zip(c.X.Parameters, (v, p) => g.Named(v, Plus(p.Name)));
        var minus = c.Minus.Zip(c.X.Parameters, (v, p) => g.Named(v, Minus(p.Name)));
        return g.ToBytes([g.Named(c.Losses, Losses), .. plus, .. minus]);
    }

    /// <summary>
    /// The whole meta-step: the candidates, the choice (the smallest loss; ties go to direct,
    /// then inverse, as <see cref="CandidateLosses.Choose"/>), and one step of
    /// <paramref name="loss"/> taken from the chosen one, with the outputs of a training step
    /// (<see cref="StepGraphs.TrainStep"/>) plus L⁺, L⁻, L⁰.
    /// </summary>
    public static byte[] MetaStep(IRecommender model, IOptimizer optimizer, Func<WorkingSetInputs, Value, Value> loss)
    {
        var g = new GraphBuilder("ig_meta_step");
        var c = new Candidates(g, model, optimizer);
        var lr = g.Input(StepGraphs.LearningRate, DType.Float);
        var (direct, inverse, pass) = (Element(g, c.Losses, 0), Element(g, c.Losses, 1), Element(g, c.Losses, 2));
        var directWins = g.GreaterOrEqual(g.Min(inverse, pass), direct);    // L⁺ ≤ min(L⁻, L⁰)
        var inverseWins = g.GreaterOrEqual(pass, inverse);
        // The chosen candidate as θ − s·move with s = 1 (direct), −1 (inverse) or 0 (pass): exactly θ⁺, θ⁻ or θ,
        // in two element-wise ops per parameter (ORT's Where broadcasting a scalar condition ran several times slower).
        var sign = g.Where(directWins, g.Scalar(1), g.Where(inverseWins, g.Scalar(-1), g.Scalar(0)));
        var parameters = c.X.Parameters;
        var start = parameters.Select((p, k) => g.Sub(p, g.Mul(sign, c.Move[k]))).ToArray();
        var outputs = StepGraphs.StepOutputs(g, loss(c.X, c.X.Logits(start)), parameters, start, p => c.State[p], optimizer, lr, c.Step);
        return g.ToBytes([g.Named(c.Losses, Losses), .. outputs]);
    }

    private static Value Element(GraphBuilder g, Value vector, long index) => g.Squeeze(g.Slice(vector, [index], [index + 1], [0]), 0);

    /// <summary>The candidate values and losses, built over one graph's working-set inputs.</summary>
    private sealed class Candidates
    {
        public Candidates(GraphBuilder g, IRecommender model, IOptimizer optimizer)
        {
            X = new WorkingSetInputs(g, model);
            var sampleLr = g.Input(SampleLearningRate, DType.Float);
            Step = g.Input(StepGraphs.StepCount, DType.Float);
            var logits = X.Logits();     // shared by the IDL gradient and L⁰
            var gradients = Autodiff.Gradients(InverseDualLoss.UnlabeledOnly(X, logits), X.Parameters);
            foreach (var (parameter, gradient) in X.Parameters.Zip(gradients))
            {
                var state = State[parameter] = StepGraphs.StateInputs(g, parameter, optimizer);
                var move = g.Mul(sampleLr, g.StopGradient(optimizer.PeekDirection(g, gradient, state, Step)));
                Move.Add(move);
                Plus.Add(g.Sub(parameter, move));
                Minus.Add(g.Add(parameter, move));
            }
            // L⁺ and L⁻ read only the labeled rows: their forwards run over those alone (the same values, half the work).
            var labeledRows = X.LabeledRows;
            Losses = g.Concat(0,
                g.Unsqueeze(Objectives.LabeledBce(labeledRows, labeledRows.Logits(Plus)), 0),
                g.Unsqueeze(Objectives.LabeledBce(labeledRows, labeledRows.Logits(Minus)), 0),
                g.Unsqueeze(Objectives.LabeledBce(X, logits), 0));
        }

        public WorkingSetInputs X { get; }
        public Value Step { get; }
        public Dictionary<Value, Value[]> State { get; } = [];
        /// <summary>Per parameter η_s·d: θ⁺ = θ − move, θ⁻ = θ + move.</summary>
        public List<Value> Move { get; } = [];
        public List<Value> Plus { get; } = [];
        public List<Value> Minus { get; } = [];
        /// <summary>[L⁺, L⁻, L⁰].</summary>
        public Value Losses { get; }
    }
}
