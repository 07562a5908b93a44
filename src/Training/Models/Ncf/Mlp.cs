using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>NCF's MLP model: the tower followed by a one-unit predict layer.</summary>
public sealed class Mlp(int dim, MlpTower tower) : IRecommender
{
    public Mlp(int dim, int layers, double dropout = 0, int seed = 0) : this(dim, new MlpTower(dim, layers, dropout, seed)) { }

    public string Name => "mlp";
    public DenseLayer Predict { get; } = new("predict", dim, 1, DenseInit.KaimingUniformSigmoid);
    public IReadOnlyList<EmbeddingSpec> Embeddings => tower.Embeddings.ToList();
    public IReadOnlyList<DenseSpec> Dense => [.. tower.Dense, Predict.Weight, Predict.Bias];

    public Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false) =>
        g.Squeeze(Predict.Apply(g, tower.Apply(g, rows, dense, training), dense), 1);

    public IUserBlockScorer CreateBlockScorer(IScoringSource source, ExecutionDevice device) =>
        new TowerBlockScorer(source, tower, Predict, gmfBranch: null, device);
}
