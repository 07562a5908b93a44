using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Models;

/// <summary>CDAE (collaborative denoising auto-encoder) as a plugin: its input is each user's training positives.</summary>
public sealed class CdaeBackbone : Backbone
{
    public static readonly PluginOption Corruption =
        new("cdae-corruption", "CDAE: probability of dropping each history entry from the input in training, in [0, 1).", 0.2, 0, 1, MaxExclusive: true);

    public override string Name => "cdae";
    public override string Description => "collaborative denoising auto-encoder over each user's history";
    public override IReadOnlyList<PluginOption> Options => [Corruption];

    public override bool ReadsInteractions => true;

    public override IRecommender Create(ModelContext context) =>
        new Cdae(context.Dim, context.Option(Corruption), context.Train is { } train ? UserHistory.FromPositives(context.UserRows, train) : UserHistory.Empty, context.Seed);
}
