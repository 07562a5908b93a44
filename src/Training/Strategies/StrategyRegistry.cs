using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Strategies;

/// <summary>Every strategy, in the order they shape a plan; adding one is one line here and its own file.</summary>
public static class StrategyRegistry
{
    public static readonly IReadOnlyList<Strategy> All = [new Warmup(), new Finetune(), new Colliding()];

    /// <summary>Every strategy's declared options (flags are unique across them).</summary>
    public static IReadOnlyList<PluginOption> Options { get; } = All.SelectMany(s => s.Options).ToList();

    /// <summary>The strategies <paramref name="settings"/> turn on, in registry order.</summary>
    public static IReadOnlyList<Strategy> On(TrainSettings settings) => All.Where(s => s.IsOn(settings)).ToList();

    /// <summary>Whether a run of <paramref name="settings"/> reads the extra feedback, D*: a strategy that trains on it is on.</summary>
    public static bool ReadsExtraFeedback(TrainSettings settings) => On(settings).OfType<ExtraFeedbackStrategy>().Any();
}
