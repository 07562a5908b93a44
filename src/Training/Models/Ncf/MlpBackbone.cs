namespace InverseLearning.Training.Models;

/// <summary>NCF's MLP model as a plugin.</summary>
public sealed class MlpBackbone : TowerBackbone
{
    public override string Name => "mlp";
    public override string Description => "NCF's MLP tower";
    public override IRecommender Create(ModelContext context) => new Mlp(context.Dim, TowerOptions.Tower(context));
}
