using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Models;

/// <summary>
/// NeuMF-end (NCF, trained end to end without pre-training): a GMF branch and an MLP
/// tower, concatenated into one predict layer.
/// </summary>
public sealed class NeuMf(int dim, int layers, double dropout = 0, int seed = 0) : IRecommender
{
    private readonly MlpTower _tower = new(dim, layers, dropout, seed);
    private readonly DenseLayer _predict = new("predict", 2 * dim, 1, DenseInit.KaimingUniformSigmoid);

    public string Name => "neumf";
    public IReadOnlyList<EmbeddingSpec> Embeddings =>
        [new("user_gmf", TableSide.User, dim, 0.01), new("item_gmf", TableSide.Item, dim, 0.01), .. _tower.Embeddings];
    public IReadOnlyList<DenseSpec> Dense => [.. _tower.Dense, _predict.Weight, _predict.Bias];

    public Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false)
    {
        var joined = g.Concat(1, Gmf.Interaction(g, rows), _tower.Apply(g, rows, dense, training));
        return g.Squeeze(_predict.Apply(g, joined, dense), 1);
    }
}
