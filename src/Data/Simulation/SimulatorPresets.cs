namespace InverseLearning.Data.Simulation;

/// <summary>Named simulator settings: `tiny` for tests, `default` for `make run`, `micro-video` at the paper's scale; all share the calibrated defaults of <see cref="SimulatorOptions"/>.</summary>
public static class SimulatorPresets
{
    private static readonly Dictionary<string, SimulatorOptions> Presets = new(StringComparer.Ordinal)
    {
        ["tiny"] = new SimulatorOptions(Users: 200, Items: 500, Impressions: 10_000),
        ["default"] = new SimulatorOptions(Users: 3_000, Items: 10_000, Impressions: 500_000),
        // The paper's Micro-Video dataset: 37,692 users, 131,690 videos, 9,458,042 labeled interactions.
        // 9.9M impressions with the default 5% middle band leave about 9.4M labeled rows, so both the
        // log's size and its labeled rows are within 5% of the paper's figure.
        ["micro-video"] = new SimulatorOptions(Users: 37_692, Items: 131_690, Impressions: 9_900_000),
    };

    public static IReadOnlyList<string> Names { get; } = ["tiny", "default", "micro-video"];

    public static SimulatorOptions Get(string name) =>
        Presets.TryGetValue(name, out var options)
            ? options
            : throw new ArgumentException($"unknown simulator preset '{name}'; expected one of: {string.Join(", ", Names)}.");
}
