namespace InverseLearning.Training.Plans;

/// <summary>
/// A stretch of training with one schedule: each of its epochs runs its passes in order,
/// then validates. <see cref="OnCompleted"/> runs once after its last epoch (e.g. to keep
/// the warm-up model's user embeddings).
/// </summary>
public sealed record Phase(string Name, PhaseSchedule Schedule, IReadOnlyList<Pass> Passes, IPhaseHook? OnCompleted = null);
