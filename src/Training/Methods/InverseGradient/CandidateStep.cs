using InverseLearning.Training.Plans;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods.InverseGradient;

/// <summary>
/// IG's meta-step on a training-test batch: compute the candidates θ⁺, θ⁻, pick the one
/// with the smallest labeled BCE, and take one step of the objective from it, all in one
/// graph (<see cref="CandidateGraph.MetaStep"/>). Every step is recorded in
/// <see cref="Convergence"/>. <see cref="Evaluate"/> computes the candidates alone, into
/// buffers of the working set's shape, to inspect them.
/// </summary>
public sealed class CandidateStep(float sampleLearningRate) : IStepProgram, IStatefulPart, IReportingPart
{
    private readonly float[] _sampleLr = [sampleLearningRate], _step = new float[1], _losses = new float[3];
    private float[][] _plus = [], _minus = [];
    private string[] _plusNames = [], _minusNames = [];
    // The fused graph's session key for the objective last stepped, built once rather than every step.
    private (string? Objective, string Session) _sessionKey = (null, "");

    /// <summary>Per meta-step: the case chosen and L⁺, L⁻, L⁰ (the paper's convergence figure).</summary>
    public ConvergenceLog Convergence { get; } = new();

    /// <summary>The candidates of the last step, per working-set part (θ⁺ and θ⁻ rows).</summary>
    public IReadOnlyList<float[]> Plus => _plus;
    public IReadOnlyList<float[]> Minus => _minus;

    public string StateKey => "ig.convergence";

    public float Step(StepContext context, StepRows rows, Objective objective)
    {
        var engine = context.Engine;
        if (_sessionKey.Objective != objective.Key) _sessionKey = (objective.Key, $"ig-meta-step:{objective.Key}");
        var metaStep = context.Session(_sessionKey.Session, () => CandidateGraph.MetaStep(engine.Store.Model, engine.Optimizer, objective.Loss));
        metaStep.Input(CandidateGraph.SampleLearningRate, _sampleLr);
        metaStep.Output(CandidateGraph.Losses, _losses, 3);
        objective.Inputs?.Bind(metaStep, rows, context.PhaseIteration);
        var loss = engine.Step(metaStep, rows, context.LearningRate, context.FreshOptimizer);
        var losses = new CandidateLosses(_losses[0], _losses[1], _losses[2]);
        Convergence.Add(context.Epoch, (int)context.Iteration + 1, losses.Choose(), losses.Direct, losses.Inverse, losses.Pass);
        return loss;
    }

    /// <summary>
    /// Gathers the working set of <paramref name="rows"/> and computes θ⁺ and θ⁻ into
    /// <see cref="Plus"/> and <see cref="Minus"/>, returning their losses and L⁰; the store
    /// is not changed.
    /// </summary>
    public CandidateLosses Evaluate(StepContext context, StepRows rows)
    {
        var engine = context.Engine;
        var candidates = context.Session("ig-candidates", () => CandidateGraph.Build(engine.Store.Model, engine.Optimizer));
        if (_plus.Length == 0) AllocateBuffers(engine.WorkingSet);

        engine.WorkingSet.Gather(rows);
        engine.BindBatch(candidates, rows, context.FreshOptimizer);
        _step[0] = engine.NextStepCount(context.FreshOptimizer);
        candidates.Input(CandidateGraph.SampleLearningRate, _sampleLr);
        candidates.Input(Runtime.StepGraphs.StepCount, _step);
        candidates.Output(CandidateGraph.Losses, _losses, 3);
        var parts = engine.WorkingSet.Parts;
        for (var k = 0; k < parts.Count; k++)
        {
            candidates.Output(_plusNames[k], _plus[k], parts[k].Shape);
            candidates.Output(_minusNames[k], _minus[k], parts[k].Shape);
        }
        candidates.Run();
        return new CandidateLosses(_losses[0], _losses[1], _losses[2]);
    }

    private void AllocateBuffers(WorkingSet workingSet)
    {
        var parts = workingSet.Parts;
        _plus = parts.Select(p => GC.AllocateArray<float>(p.Length, pinned: true)).ToArray();
        _minus = parts.Select(p => GC.AllocateArray<float>(p.Length, pinned: true)).ToArray();
        _plusNames = parts.Select(p => CandidateGraph.Plus(p.Parameter.Name)).ToArray();
        _minusNames = parts.Select(p => CandidateGraph.Minus(p.Parameter.Name)).ToArray();
    }

    public void SaveState(BinaryWriter writer) => Convergence.Save(writer);
    public void LoadState(BinaryReader reader) => Convergence.Load(reader);

    public IReadOnlyList<string> WriteReports(string outputDirectory)
    {
        if (Convergence.Records.Count == 0) return [];
        Convergence.WriteCsv(Path.Combine(outputDirectory, ConvergenceLog.FileName));
        Plots.Convergence(Path.Combine(outputDirectory, ConvergenceLog.PlotFileName), Convergence.Records);
        return [ConvergenceLog.FileName, ConvergenceLog.PlotFileName];
    }
}
