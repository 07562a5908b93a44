using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Models;

/// <summary>Generalized matrix factorization (NCF): logit = (p_u ⊙ q_i)·h + b.</summary>
public sealed class Gmf(int dim) : IRecommender
{
    private readonly DenseLayer _predict = new("predict", dim, 1, DenseInit.KaimingUniformSigmoid);

    public string Name => "gmf";
    public IReadOnlyList<EmbeddingSpec> Embeddings { get; } =
        [new("user_gmf", TableSide.User, dim, 0.01), new("item_gmf", TableSide.Item, dim, 0.01)];
    public IReadOnlyList<DenseSpec> Dense => [_predict.Weight, _predict.Bias];

    public Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false) =>
        g.Squeeze(_predict.Apply(g, Interaction(g, rows), dense), 1);

    /// <summary>The element-wise product p_u ⊙ q_i, [R, dim]; NeuMF reuses it as its GMF branch.</summary>
    public static Value Interaction(GraphBuilder g, IReadOnlyDictionary<string, Value> rows) =>
        g.Mul(rows["user_gmf"], rows["item_gmf"]);
}
