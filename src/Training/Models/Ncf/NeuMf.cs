using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// NeuMF-end (NCF, trained end to end without pre-training): a GMF branch and an MLP
/// tower, concatenated into one predict layer.
/// </summary>
public sealed class NeuMf(int dim, MlpTower tower) : IRecommender
{
    private readonly Gmf _gmf = new(dim);

    public NeuMf(int dim, int layers, double dropout = 0, int seed = 0) : this(dim, new MlpTower(dim, layers, dropout, seed)) { }

    public string Name => "neumf";
    public DenseLayer Predict { get; } = new("predict", 2 * dim, 1, DenseInit.KaimingUniformSigmoid);
    public IReadOnlyList<EmbeddingSpec> Embeddings => [_gmf.UserTable, _gmf.ItemTable, .. tower.Embeddings];
    public IReadOnlyList<DenseSpec> Dense => [.. tower.Dense, Predict.Weight, Predict.Bias];

    public Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false)
    {
        var joined = g.Concat(1, _gmf.Interaction(g, rows), tower.Apply(g, rows, dense, training));
        return g.Squeeze(Predict.Apply(g, joined, dense), 1);
    }

    public IUserBlockScorer CreateBlockScorer(IScoringSource source, ExecutionDevice device) =>
        new TowerBlockScorer(source, tower, Predict, (_gmf.UserTable, _gmf.ItemTable), device);
}
