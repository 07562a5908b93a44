namespace InverseLearning.Training.Models;

/// <summary>NeuMF (NCF's GMF branch and MLP tower, trained end to end) as a plugin.</summary>
public sealed class NeuMfBackbone : TowerBackbone
{
    public override string Name => "neumf";
    public override string Description => "NCF's GMF branch and MLP tower";
    public override IRecommender Create(ModelContext context) => new NeuMf(context.Dim, TowerOptions.Tower(context));
}
