namespace InverseLearning.Training.Artifacts;

/// <summary>A checkpoint that cannot be used: its path and what is wrong with it, in one line.</summary>
public sealed class CheckpointException(string path, string problem) : Exception($"{path}: cannot use this checkpoint: {problem}.");
