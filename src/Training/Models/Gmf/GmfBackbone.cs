namespace InverseLearning.Training.Models;

/// <summary>GMF (NCF's generalized matrix factorization) as a plugin.</summary>
public sealed class GmfBackbone : Backbone
{
    public override string Name => "gmf";
    public override string Description => "generalized matrix factorization";
    public override IRecommender Create(ModelContext context) => new Gmf(context.Dim);
}
