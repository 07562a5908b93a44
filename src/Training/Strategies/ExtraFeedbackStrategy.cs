using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Strategies;

/// <summary>A strategy that trains epochs of BCE on extra feedback D* (warm-up, finetune): one option, its epochs, which turn it on.</summary>
public abstract class ExtraFeedbackStrategy(PluginOption epochs) : Strategy
{
    public override IReadOnlyList<PluginOption> Options => [epochs];
    public override PluginOption Switch => epochs;
    protected int EpochsOf(TrainSettings settings) => (int)settings.Option(epochs);
}
