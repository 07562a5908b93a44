using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Plans;

/// <summary>
/// What step programs, batch transforms and phase hooks see of the run: the engine,
/// compiled graphs (each built once per run), where the run stands, and the current
/// phase's learning rate.
/// </summary>
public sealed class StepContext(TrainingEngine engine, bool freshOptimizer) : IDisposable
{
    private readonly Dictionary<string, GraphSession> _sessions = [];

    public TrainingEngine Engine { get; } = engine;
    /// <summary>Re-create the optimizer at every step, as the authors' code does.</summary>
    public bool FreshOptimizer { get; } = freshOptimizer;

    public float LearningRate { get; set; }
    /// <summary>The current phase's epoch, from 1.</summary>
    public int Epoch { get; set; }
    /// <summary>Steps the whole run has taken before the current one.</summary>
    public long Iteration { get; set; }
    /// <summary>Steps the current phase has taken before the current one.</summary>
    public long PhaseIteration { get; set; }
    /// <summary>The run's cancellation: a batch transform whose work grows with its options (DNS's candidates, SRNS's memory) looks at it as it goes.</summary>
    public CancellationToken Cancel { get; set; }

    /// <summary>The fused training step of <paramref name="objective"/>.</summary>
    public GraphSession Compile(Objective objective) => Session(objective.Key, () => Runtime.StepGraphs.TrainStep(Engine.Store.Model, objective.Loss, Engine.Optimizer));

    /// <summary>A graph of the caller's own, loaded once under <paramref name="key"/>.</summary>
    public GraphSession Session(string key, Func<byte[]> build)
    {
        if (!_sessions.TryGetValue(key, out var session)) _sessions[key] = session = Engine.Load(build());
        return session;
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values) session.Dispose();
        _sessions.Clear();
    }
}
