using InverseLearning.Training.Graph;
using InverseLearning.Training.Optimizers;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// Runs training graphs over an <see cref="IParameterStore"/>: pulls a step's working set,
/// binds it (and the model's step feed) to ORT, runs, and pushes the results back; scores
/// through the model's <see cref="IScoringSource"/>.
/// </summary>
public sealed class TrainingEngine : IDisposable
{
    private const int ScoringChunk = 1 << 16;

    private readonly ExecutionDevice _device;
    private readonly GraphSession _scoring;
    private readonly float[] _scalarLr = new float[1], _scalarStep = new float[1], _loss = new float[1];
    private readonly long[] _scoreUsers = new long[ScoringChunk], _scoreItems = new long[ScoringChunk];
    private readonly float[] _scoreOut = new float[ScoringChunk];
    private readonly IScoringSource _scoringSource;

    public TrainingEngine(IParameterStore store, IOptimizer optimizer, ExecutionDevice device, int maxRows)
    {
        Store = store;
        Optimizer = optimizer;
        _device = device;
        WorkingSet = new WorkingSet(store, optimizer.StateNames, maxRows);
        _scoring = new GraphSession(StepGraphs.Scoring(store.Model), device);
        _scoringSource = store.Model.CreateScoringSource(store, device);
    }

    public IParameterStore Store { get; }
    public ExecutionDevice Device => _device;
    public IOptimizer Optimizer { get; }
    public WorkingSet WorkingSet { get; }

    /// <summary>Loads any graph over the working set (one a method built itself) on this engine's device.</summary>
    public GraphSession Load(byte[] graph) => new(graph, _device);

    /// <summary>
    /// One optimizer step on <paramref name="rows"/>. With <paramref name="freshOptimizer"/>
    /// the update is that of a newly created Adam (zero moments, t = 1), as the authors'
    /// code does by re-creating its optimizer every step. <paramref name="from"/>, when
    /// given, holds per working-set part the values the step starts from instead of the
    /// gathered rows; <paramref name="gathered"/> says the working set is already in place.
    /// Any other input the objective declared must be bound on <paramref name="step"/> before.
    /// </summary>
    public float Step(GraphSession step, StepRows rows, float learningRate, bool freshOptimizer = false,
        IReadOnlyList<float[]>? from = null, bool gathered = false)
    {
        if (!gathered) WorkingSet.Gather(rows);
        var t = NextStepCount(freshOptimizer);
        BindBatch(step, rows, freshOptimizer, from);
        _scalarLr[0] = learningRate;
        _scalarStep[0] = t;
        step.Input(StepGraphs.LearningRate, _scalarLr);
        step.Input(StepGraphs.StepCount, _scalarStep);
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

    /// <summary>The optimizer's update count t the next step uses (1 for a fresh optimizer).</summary>
    public long NextStepCount(bool freshOptimizer) => freshOptimizer ? 1 : Store.Step + 1;

    /// <summary>
    /// Binds the batch's rows and the gathered working set (parameters and optimizer state;
    /// zero state for a fresh optimizer) as inputs of <paramref name="session"/>.
    /// </summary>
    public void BindBatch(GraphSession session, StepRows rows, bool freshOptimizer, IReadOnlyList<float[]>? from = null)
    {
        var n = rows.Count;
        session.Input(WorkingSetInputs.UserSlot, rows.UserSlots, n);
        session.Input(WorkingSetInputs.ItemSlot, rows.ItemSlots, n);
        session.Input(WorkingSetInputs.Label, rows.Labels, n);
        session.Input(WorkingSetInputs.Unlabeled, rows.Unlabeled, n);
        WorkingSet.Feed?.Bind(session);
        var parts = WorkingSet.Parts;
        for (var k = 0; k < parts.Count; k++)
        {
            var part = parts[k];
            if (from is null) session.Input(part.Parameter.Name, part.Rows, part.Shape);
            else session.Input(part.Parameter.Name, from[k], part.Shape);
            for (var s = 0; s < part.State.Length; s++)
                session.Input(part.StateInputs[s], freshOptimizer ? part.Zeros : part.State[s], part.Shape);
        }
    }

    /// <summary>
    /// Logits for (user, item) index pairs, computed from the full tables in place; <paramref name="cancel"/> is looked at between
    /// chunks, since one call may score a hundred million pairs (DNS's candidates).
    /// </summary>
    public void Score(ReadOnlySpan<int> users, ReadOnlySpan<int> items, Span<float> logits, CancellationToken cancel = default)
    {
        for (var start = 0; start < users.Length; start += ScoringChunk)
        {
            cancel.ThrowIfCancellationRequested();
            var n = Math.Min(ScoringChunk, users.Length - start);
            for (var r = 0; r < n; r++)
            {
                _scoreUsers[r] = users[start + r];
                _scoreItems[r] = items[start + r];
            }
            _scoringSource.Bind(_scoring, users.Slice(start, n));
            _scoring.Input(StepGraphs.Users, _scoreUsers, n);
            _scoring.Input(StepGraphs.Items, _scoreItems, n);
            _scoring.Output(StepGraphs.Logits, _scoreOut, n);
            _scoring.Run();
            _scoreOut.AsSpan(0, n).CopyTo(logits[start..]);
        }
    }

    public void Dispose()
    {
        _scoring.Dispose();
        _scoringSource.Dispose();
        WorkingSet.Dispose();
    }
}
