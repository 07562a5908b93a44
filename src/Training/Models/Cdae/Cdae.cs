using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// Collaborative denoising auto-encoder (Wu et al., WSDM 2016), as DenoisingRec uses it:
/// h_u = σ(Σ_{j ∈ history(u), kept} W_in[j] / (1 − q) + V_u + b), logit(u, i) = W_out[i]·h_u + b_out[i].
/// Only the history's rows of W_in and the scored items' rows of W_out are ever touched. A step
/// is fed its users' history entries (<see cref="HistoryRows"/>); scoring reads the hidden rows
/// h_u of the uncorrupted history (<see cref="HiddenTable"/>), one row per user.
/// </summary>
public sealed class Cdae(int dim, double corruption, UserHistory history, int seed) : IRecommender
{
    public const string UserTable = "cdae_user", InputTable = "cdae_in", OutputTable = "cdae_out", OutputBias = "cdae_out_bias", HiddenBias = "cdae_bias";

    public string Name => "cdae";
    public UserHistory History => history;
    /// <summary>Probability that a history entry is dropped in a training step.</summary>
    public double Corruption => corruption;
    public int Seed => seed;

    public IReadOnlyList<EmbeddingSpec> Embeddings { get; } =
    [
        new(UserTable, TableSide.User, dim, 0.01), new(InputTable, TableSide.History, dim, 0.01),
        new(OutputTable, TableSide.Item, dim, 0.01), new(OutputBias, TableSide.Item, 1, 0.0),
    ];

    public IReadOnlyList<DenseSpec> Dense { get; } = [new(HiddenBias, [dim], DenseInit.Zeros)];

    /// <summary>The derived user table h, the user side of <see cref="ScoringTables"/>.</summary>
    public EmbeddingSpec HiddenTable { get; } = new("cdae_hidden", TableSide.User, dim, 0);

    public IReadOnlyList<EmbeddingSpec> ScoringTables => [HiddenTable, Embeddings[2], Embeddings[3]];

    /// <summary>
    /// The hidden representation [U, dim] from <paramref name="historySum"/> (the summed,
    /// already rescaled history rows [U, dim]) and the users' own rows [U, dim].
    /// </summary>
    public Value Hidden(GraphBuilder g, Value historySum, Value userRows, IReadOnlyDictionary<string, Value> dense) =>
        g.Sigmoid(g.Add(g.Add(historySum, userRows), dense[HiddenBias]));

    /// <summary>The same on the host for one user: <paramref name="hidden"/> = σ(historySum + user row + bias), written in place.</summary>
    public void HiddenOnHost(Span<float> hidden, ReadOnlySpan<float> userRow, ReadOnlySpan<float> bias)
    {
        for (var d = 0; d < hidden.Length; d++) hidden[d] = 1f / (1f + MathF.Exp(-(hidden[d] + userRow[d] + bias[d])));
    }

    /// <summary>rows: the hidden rows [R, dim] of each row's user, and its item's rows of W_out [R, dim] and b_out [R, 1].</summary>
    public Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false) =>
        g.Add(g.ReduceSum(g.Mul(rows[HiddenTable.Name], rows[OutputTable]), [1]), g.Squeeze(rows[OutputBias], 1));

    /// <summary>
    /// The working set's users' hidden rows [U, dim] from the step's history entries (weighted
    /// rows of W_in summed per user: a segment sum, ScatterAdd into zeros), then each row's
    /// user's hidden row and item's output rows.
    /// </summary>
    public Value TrainingLogits(WorkingSetInputs x, IReadOnlyDictionary<string, Value> tables, IReadOnlyDictionary<string, Value> dense)
    {
        var g = x.G;
        var entries = Graph.Dim.Named("H");
        var slots = x.Input(HistoryRows.SlotInput, DType.Int64, entries);
        var users = x.Input(HistoryRows.UserInput, DType.Int64, entries);
        var weights = x.Input(HistoryRows.WeightInput, DType.Float, entries);
        var userRows = tables[UserTable];
        var weighted = g.Mul(g.Gather(tables[InputTable], slots), g.Unsqueeze(weights, 1));
        var hidden = Hidden(g, g.ScatterAdd(g.ZerosLike(userRows), users, weighted), userRows, dense);
        var rows = new Dictionary<string, Value>
        {
            [HiddenTable.Name] = g.Gather(hidden, x.UserSlots),
            [OutputTable] = g.Gather(tables[OutputTable], x.ItemSlots),
            [OutputBias] = g.Gather(tables[OutputBias], x.ItemSlots),
        };
        return Logits(g, rows, dense, training: true);
    }

    public IStepFeed CreateStepFeed(int maxRows) => new HistoryRows(this, maxRows);

    public IScoringSource CreateScoringSource(IParameterStore store, ExecutionDevice device) => new HiddenTable(this, store);
}
