namespace InverseLearning.Training.Plans;

/// <summary>
/// How long and how a phase trains: its epochs and learning rate, whether the optimizer
/// state is zeroed when it starts, whether its epochs compete for the best checkpoint
/// (by the run's selection metric), and whether it forgets the best so far when it starts (so
/// the best is chosen among its own validations), and the flag that gives its epochs (named when a resume
/// is refused for them).
/// </summary>
public sealed record PhaseSchedule(int Epochs, double LearningRate, bool ResetOptimizer = false, bool CompetesForBest = true,
    bool RestartsSelection = false, string EpochsFlag = "--epochs");
