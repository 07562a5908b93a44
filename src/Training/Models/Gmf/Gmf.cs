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

    /// <summary>
    /// The logit (p_u ⊙ q_i)·h + b is bilinear: (p_u ⊙ hᵀ)·q_i + b. So a block of users against
    /// the whole item table is one matrix product, [B, dim] × [dim, items], instead of B × items
    /// element-wise products — what makes ranking 5·10⁹ pairs take seconds.
    /// </summary>
    public IUserBlockScorer CreateBlockScorer(IScoringSource source, ExecutionDevice device) => new WholeBlockScorer(source, BlockGraph(), device);

    private byte[] BlockGraph()
    {
        var g = new GraphBuilder("gmf_user_block");
        var users = g.Input(WholeBlockScorer.UserInput, DType.Int64, Dim.Named("B"));
        var userTable = g.Input(UserTable.Name, DType.Float, Dim.Named("users"), UserTable.Dim);
        var itemTable = g.Input(ItemTable.Name, DType.Float, Dim.Named("items"), ItemTable.Dim);
        var weight = g.Input(Predict.Weight.Name, DType.Float, Predict.Inputs, 1);
        var bias = g.Input(Predict.Bias.Name, DType.Float, 1);
        var weighted = g.Mul(g.Gather(userTable, users), g.Transpose(weight, 1, 0));
        return g.ToBytes([g.Named(g.Gemm(weighted, itemTable, bias, transposeB: true), WholeBlockScorer.LogitsOutput)]);
    }
}
