using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Models;

/// <summary>NCF's MLP model: the tower followed by a one-unit predict layer.</summary>
public sealed class Mlp(int dim, int layers, double dropout = 0, int seed = 0) : IRecommender
{
    private readonly MlpTower _tower = new(dim, layers, dropout, seed);
    private readonly DenseLayer _predict = new("predict", dim, 1, DenseInit.KaimingUniformSigmoid);

    public string Name => "mlp";
    public IReadOnlyList<EmbeddingSpec> Embeddings => _tower.Embeddings.ToList();
    public IReadOnlyList<DenseSpec> Dense => [.. _tower.Dense, _predict.Weight, _predict.Bias];

    public Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false) =>
        g.Squeeze(_predict.Apply(g, _tower.Apply(g, rows, dense, training), dense), 1);
}
