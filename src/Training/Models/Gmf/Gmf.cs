using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>Generalized matrix factorization (NCF): logit = (p_u ⊙ q_i)·h + b.</summary>
public sealed class Gmf(int dim) : IRecommender
{
    public string Name => "gmf";
    public EmbeddingSpec UserTable { get; } = new("user_gmf", TableSide.User, dim, 0.01);
    public EmbeddingSpec ItemTable { get; } = new("item_gmf", TableSide.Item, dim, 0.01);
    public DenseLayer Predict { get; } = new("predict", dim, 1, DenseInit.KaimingUniformSigmoid);

    public IReadOnlyList<EmbeddingSpec> Embeddings => [UserTable, ItemTable];
    public IReadOnlyList<DenseSpec> Dense => [Predict.Weight, Predict.Bias];

    public Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false) =>
        g.Squeeze(Predict.Apply(g, Interaction(g, rows), dense), 1);

    /// <summary>The element-wise product p_u ⊙ q_i, [R, dim]; NeuMF reuses it as its GMF branch.</summary>
    public Value Interaction(GraphBuilder g, IReadOnlyDictionary<string, Value> rows) =>
        g.Mul(rows[UserTable.Name], rows[ItemTable.Name]);

    public IUserBlockScorer CreateBlockScorer(IScoringSource source, ExecutionDevice device) => new GmfBlockScorer(this, source, device);
}
