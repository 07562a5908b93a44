namespace InverseLearning.Training.Methods;

/// <summary>
/// What a method sizes its own buffers from, for the run's memory estimate: the settings, the
/// user rows, the sampled unlabeled slots per step, and the trainer's working set (floats per
/// copy, and its largest single array).
/// </summary>
public sealed record MethodMemory(TrainSettings Settings, double UserRows, double UnlabeledSlots, double WorkingSetFloats, double LargestWorkingArray);
