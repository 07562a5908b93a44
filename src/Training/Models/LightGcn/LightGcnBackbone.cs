using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Models;

/// <summary>LightGCN as a plugin: its graph is the training positives, its one option the number of propagation layers.</summary>
public sealed class LightGcnBackbone : Backbone
{
    public static readonly PluginOption Layers = new("lightgcn-layers", "LightGCN: propagation layers K (0 is matrix factorization).", 3, 0, 8, Integer: true);

    public override string Name => "lightgcn";
    public override string Description => "LightGCN, K layers of propagation over the user–item graph of the training positives";
    public override IReadOnlyList<PluginOption> Options => [Layers];

    public override IRecommender Create(ModelContext context)
    {
        var history = context.Train is { } train ? UserHistory.FromPositives(context.UserRows, train) : UserHistory.Empty;
        return new LightGcn(context.Dim, (int)context.Option(Layers), InteractionGraph.From(history));
    }
}
