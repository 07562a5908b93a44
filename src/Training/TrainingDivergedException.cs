namespace InverseLearning.Training;

/// <summary>The loss stopped being a number; the message says when and what to try.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
