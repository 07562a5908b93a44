namespace InverseLearning.Training.Artifacts;

/// <summary>What a checkpoint says about itself.</summary>
public sealed record CheckpointHeader(int FormatVersion, RunState Run, IReadOnlyList<CheckpointHeader.Tensor> Parameters, long OptimizerStep,
    IReadOnlyList<CheckpointHeader.Section>? Sections)
{
    public sealed record Tensor(string Name, long[] Shape, int StateTensors);

    /// <summary>A stateful part's saved state: its key and byte length.</summary>
    public sealed record Section(string Key, int Length);
}
