namespace InverseLearning.Data.Simulation;

/// <summary>A simulated interaction log with the hidden truth behind it.</summary>
public sealed class SimulationResult(InteractionLog log, GroundTruth truth, SimulatorOptions options, int seed)
{
    public InteractionLog Log { get; } = log;
    public GroundTruth Truth { get; } = truth;
    public SimulatorOptions Options { get; } = options;
    public int Seed { get; } = seed;
}
