using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>Simulations shared by tests (each generated once per test run).</summary>
public static class SimulatedLogs
{
    /// <summary>Large enough that realized rates sit within about ±0.5 percentage points of their settings.</summary>
    public static readonly SimulatorOptions Large = new(Users: 2_000, Items: 5_000, Impressions: 300_000);

    private static readonly Lazy<SimulationResult> LargeWatchResult = new(() => FeedSimulator.Run(Large, seed: 7));
    private static readonly Lazy<SimulationResult> TinyWatchResult = new(() => FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3));

    public static SimulationResult LargeWatch => LargeWatchResult.Value;
    public static SimulationResult TinyWatch => TinyWatchResult.Value;
}
