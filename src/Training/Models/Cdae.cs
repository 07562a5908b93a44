using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Models;

/// <summary>
/// Collaborative denoising auto-encoder (Wu et al., WSDM 2016), as DenoisingRec uses it:
/// h_u = σ(Σ_{j ∈ history(u), kept} W_in[j] / (1 − q) + V_u + b), logit(u, i) = W_out[i]·h_u + b_out[i].
/// Only the history's rows of W_in and the scored items' rows of W_out are ever touched.
/// </summary>
public sealed class Cdae(int dim, double corruption, UserHistory history, int seed) : IHistoryRecommender
{
    public const string UserTable = "cdae_user", InputTable = "cdae_in", OutputTable = "cdae_out", OutputBias = "cdae_out_bias", HiddenBias = "cdae_bias";

    public string Name => "cdae";
    public UserHistory History => history;
    public double Corruption => corruption;
    public int Seed => seed;

    public IReadOnlyList<EmbeddingSpec> Embeddings { get; } =
    [
        new(UserTable, TableSide.User, dim, 0.01), new(InputTable, TableSide.History, dim, 0.01),
        new(OutputTable, TableSide.Item, dim, 0.01), new(OutputBias, TableSide.Item, 1, 0.0),
    ];

    public IReadOnlyList<DenseSpec> Dense { get; } = [new(HiddenBias, [dim], DenseInit.Zeros)];

    public EmbeddingSpec HiddenTable { get; } = new("cdae_hidden", TableSide.User, dim, 0);

    public IReadOnlyList<EmbeddingSpec> ScoringTables => [HiddenTable, Embeddings[2], Embeddings[3]];

    public Value Hidden(GraphBuilder g, Value historySum, IReadOnlyDictionary<string, Value> userRows, IReadOnlyDictionary<string, Value> dense) =>
        g.Sigmoid(g.Add(g.Add(historySum, userRows[UserTable]), dense[HiddenBias]));

    public void HiddenOnHost(Span<float> hidden, ReadOnlySpan<float> userRow, ReadOnlySpan<float> bias)
    {
        for (var d = 0; d < hidden.Length; d++) hidden[d] = 1f / (1f + MathF.Exp(-(hidden[d] + userRow[d] + bias[d])));
    }

    /// <summary>rows: the hidden rows [R, dim] of each row's user, and its item's rows of W_out [R, dim] and b_out [R, 1].</summary>
    public Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false) =>
        g.Add(g.ReduceSum(g.Mul(rows[HiddenTable.Name], rows[OutputTable]), [1]), g.Squeeze(rows[OutputBias], 1));
}
