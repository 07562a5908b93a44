namespace InverseLearning.Training.Plans;

/// <summary>
/// How long and how a phase trains: its epochs and learning rate, whether the optimizer
/// state is zeroed when it starts, and whether its epochs compete for the best
/// checkpoint (lowest validation loss).
/// </summary>
public sealed record PhaseSchedule(int Epochs, double LearningRate, bool ResetOptimizer = false, bool CompetesForBest = true);
