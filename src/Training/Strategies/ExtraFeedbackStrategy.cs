using InverseLearning.Data;
using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Strategies;

/// <summary>A strategy that trains epochs of BCE on extra feedback D* (warm-up, finetune): one option, its epochs, which turn it on.</summary>
public abstract class ExtraFeedbackStrategy(PluginOption epochs) : Strategy
{
    public override IReadOnlyList<PluginOption> Options => [epochs];
    public override PluginOption Switch => epochs;
    public int EpochsOf(TrainSettings settings) => (int)settings.Option(epochs);

    /// <summary>"2 epochs (+1 warm-up, +1 finetune)": the method's epochs and the phases these strategies add around them.</summary>
    public static string EpochCount(TrainSettings settings)
    {
        var added = StrategyRegistry.On(settings).OfType<ExtraFeedbackStrategy>().Select(s => $"+{s.EpochsOf(settings):N0} {s.Name}").ToList();
        return Counted.Of(settings.Epochs, "epoch") + (added.Count == 0 ? "" : $" ({string.Join(", ", added)})");
    }
}
