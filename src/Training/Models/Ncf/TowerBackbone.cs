using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Models;

/// <summary>A backbone built on NCF's MLP tower (NeuMF, MLP): the tower's options, sizes and width check.</summary>
public abstract class TowerBackbone : Backbone
{
    public override IReadOnlyList<PluginOption> Options => TowerOptions.All;
    public override string SizeFlags => "--dim, --layers";
    public override string? Check(TrainSettings settings) => TowerOptions.CheckWidth(settings);
}
