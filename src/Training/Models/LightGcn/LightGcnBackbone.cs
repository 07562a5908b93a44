using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Models;

/// <summary>LightGCN as a plugin: its graph is the training positives, its one option the number of propagation layers.</summary>
public sealed class LightGcnBackbone : Backbone
{
    public static readonly PluginOption Layers = new("lightgcn-layers", "LightGCN: propagation layers K (0 is matrix factorization).", 3, 0, 8, Integer: true);

    public override string Name => "lightgcn";
    public override string Description => "LightGCN, K layers of propagation over the user–item graph of the training positives";
    public override IReadOnlyList<PluginOption> Options => [Layers];

    /// <summary>
    /// Each layer and direction holds the gathered, weighted and scattered rows of every edge,
    /// forward and backward: about 4·K floats per edge and unit of --dim (the micro-video preset,
    /// 2.9M edges, K = 3, dim 32, peaked 3.8 GB above GMF's run). The edges are at most the training rows.
    /// </summary>
    public override IEnumerable<RunMemoryEstimate.Part> MemoryParts(TrainSettings settings, double trainingRows)
    {
        var floats = trainingRows * settings.Dim * 4 * Math.Max(1, settings.Option(Layers));
        return [new("LightGCN propagation", "--dim, --lightgcn-layers", floats * sizeof(float), trainingRows * settings.Dim)];
    }

    public override bool ReadsInteractions => true;

    public override IRecommender Create(ModelContext context)
    {
        var history = context.Train is { } train ? UserHistory.FromPositives(context.UserRows, train) : UserHistory.Empty;
        return new LightGcn(context.Dim, (int)context.Option(Layers), InteractionGraph.From(history));
    }
}
