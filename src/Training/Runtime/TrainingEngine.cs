using InverseLearning.Training.Graph;
using InverseLearning.Training.Optimizers;

namespace InverseLearning.Training.Runtime;

/// <summary>Which parameters a step starts from: the current ones, or one of IG's candidates.</summary>
public enum StartingPoint { Current, Plus, Minus }

/// <summary>The outcome of IG's candidate evaluation: L⁺, L⁻, L⁰ (BCE on the batch's labeled rows).</summary>
public readonly record struct CandidateLosses(float Direct, float Inverse, float Pass);

/// <summary>
/// Runs training graphs over a <see cref="ParameterStore"/>: gathers a step's working set,
/// binds it (and the store's dense parameters) to ORT, runs, and writes results back.
/// </summary>
public sealed class TrainingEngine : IDisposable
{
    private const int ScoringChunk = 1 << 16;

    private readonly ExecutionDevice _device;
    private readonly GraphSession _scoring;
    private readonly float[] _scalarLr = new float[1], _scalarStep = new float[1], _loss = new float[1], _candidateLosses = new float[3];
    private readonly long[] _scoreUsers = new long[ScoringChunk], _scoreItems = new long[ScoringChunk];
    private readonly float[] _scoreOut = new float[ScoringChunk];

    public TrainingEngine(ParameterStore store, IOptimizer optimizer, ExecutionDevice device, int maxRows)
    {
        Store = store;
        Optimizer = optimizer;
        _device = device;
        WorkingSet = new WorkingSet(store, optimizer.StateNames, maxRows);
        _scoring = new GraphSession(StepGraphs.Scoring(store.Model), device);
    }

    public ParameterStore Store { get; }
    public IOptimizer Optimizer { get; }
    public WorkingSet WorkingSet { get; }

    /// <summary>Compiles a fused training step for the objective <paramref name="loss"/>.</summary>
    public GraphSession CreateStep(Func<WorkingSetInputs, Value, Value> loss) =>
        new(StepGraphs.TrainStep(Store.Model, loss, Optimizer), _device);

    public GraphSession CreateCandidates(Func<WorkingSetInputs, Value, Value> sampleLoss) =>
        new(StepGraphs.Candidates(Store.Model, sampleLoss, Optimizer), _device);

    /// <summary>
    /// One optimizer step on <paramref name="rows"/>. With <paramref name="freshOptimizer"/>
    /// the update is that of a newly created Adam (zero moments, t = 1), as the authors'
    /// code does by re-creating its optimizer every step. <paramref name="gathered"/>
    /// says the working set is already in place (IG gathered it for its candidates).
    /// </summary>
    public float Step(GraphSession step, StepRows rows, float learningRate, bool freshOptimizer = false,
        StartingPoint from = StartingPoint.Current, bool gathered = false, Action<GraphSession>? extraInputs = null)
    {
        if (!gathered) WorkingSet.Gather(rows);
        var t = freshOptimizer ? 1 : Store.Step + 1;
        BindRows(step, rows);
        BindParameters(step, rows, from, freshOptimizer);
        _scalarLr[0] = learningRate;
        _scalarStep[0] = t;
        step.Input(StepGraphs.LearningRate, _scalarLr);
        step.Input(StepGraphs.StepCount, _scalarStep);
        extraInputs?.Invoke(step);
        step.Output(StepGraphs.Loss, _loss);
        foreach (var part in WorkingSet.Parts)
        {
            step.Output(part.NewName, part.NewRows, part.Shape);
            for (var s = 0; s < part.NewState.Length; s++)
                step.Output(part.StateOutputs[s], part.NewState[s], part.Shape);
        }
        step.Run();
        WorkingSet.Scatter(rows, keepState: !freshOptimizer);
        if (!freshOptimizer) Store.Step = t;
        return _loss[0];
    }

    /// <summary>
    /// Gathers the working set of <paramref name="rows"/> and computes IG's candidates
    /// θ⁺ and θ⁻ into it, returning their losses; a following <see cref="Step"/> with
    /// gathered: true starts from the chosen one.
    /// </summary>
    public CandidateLosses Candidates(GraphSession candidates, StepRows rows, float sampleLearningRate, bool freshOptimizer)
    {
        WorkingSet.Gather(rows);
        BindRows(candidates, rows);
        BindParameters(candidates, rows, StartingPoint.Current, freshOptimizer);
        _scalarLr[0] = sampleLearningRate;
        _scalarStep[0] = freshOptimizer ? 1 : Store.Step + 1;
        candidates.Input(StepGraphs.SampleLearningRate, _scalarLr);
        candidates.Input(StepGraphs.StepCount, _scalarStep);
        candidates.Output(StepGraphs.CandidateLosses, _candidateLosses, 3);
        foreach (var part in WorkingSet.Parts)
        {
            candidates.Output(part.PlusName, part.Plus, part.Shape);
            candidates.Output(part.MinusName, part.Minus, part.Shape);
        }
        candidates.Run();
        return new CandidateLosses(_candidateLosses[0], _candidateLosses[1], _candidateLosses[2]);
    }

    /// <summary>Logits for (user, item) index pairs, computed from the full tables in place.</summary>
    public void Score(ReadOnlySpan<int> users, ReadOnlySpan<int> items, Span<float> logits)
    {
        for (var start = 0; start < users.Length; start += ScoringChunk)
        {
            var n = Math.Min(ScoringChunk, users.Length - start);
            for (var r = 0; r < n; r++)
            {
                _scoreUsers[r] = users[start + r];
                _scoreItems[r] = items[start + r];
            }
            foreach (var p in Store.All) _scoring.Input(p.Name, p.Values, p.Shape);
            _scoring.Input(StepGraphs.Users, _scoreUsers, n);
            _scoring.Input(StepGraphs.Items, _scoreItems, n);
            _scoring.Output(StepGraphs.Logits, _scoreOut, n);
            _scoring.Run();
            _scoreOut.AsSpan(0, n).CopyTo(logits[start..]);
        }
    }

    private static void BindRows(GraphSession session, StepRows rows)
    {
        var n = rows.Count;
        session.Input(WorkingSetInputs.UserSlot, rows.UserSlots, n);
        session.Input(WorkingSetInputs.ItemSlot, rows.ItemSlots, n);
        session.Input(WorkingSetInputs.Label, rows.Labels, n);
        session.Input(WorkingSetInputs.Unlabeled, rows.Unlabeled, n);
    }

    private void BindParameters(GraphSession session, StepRows rows, StartingPoint from, bool freshOptimizer)
    {
        foreach (var part in WorkingSet.Parts)
        {
            var values = from switch { StartingPoint.Plus => part.Plus, StartingPoint.Minus => part.Minus, _ => part.Rows };
            session.Input(part.Parameter.Name, values, part.Shape);
            for (var s = 0; s < part.State.Length; s++)
                session.Input(part.StateInputs[s], freshOptimizer ? part.Zeros : part.State[s], part.Shape);
        }
    }

    public void Dispose() => _scoring.Dispose();
}
