using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// LightGCN (He et al., SIGIR 2020): K layers of propagation over the normalized user–item
/// graph of the training positives, e⁽ᵏ⁺¹⁾_u = Σ_{i ∈ N_u} e⁽ᵏ⁾_i / √(|N_u||N_i|) (and the same for
/// items), no weights and no non-linearity; the final embedding is the mean of the layers
/// 0..K and the score is their dot product. Every step reads the whole graph, so both tables
/// are declared <see cref="EmbeddingSpec.Whole"/>; scoring reads the propagated tables
/// (<see cref="PropagatedTables"/>), which export stores in place of the embeddings.
/// </summary>
public sealed class LightGcn(int dim, int layers, InteractionGraph graph) : IRecommender
{
    public const string EdgeUsers = "lightgcn_edge_user", EdgeItems = "lightgcn_edge_item", EdgeWeights = "lightgcn_edge_weight";
    public const string RowUsers = "lightgcn_row_user", RowItems = "lightgcn_row_item";

    public string Name => "lightgcn";
    public int Layers => layers;
    public InteractionGraph Graph => graph;

    // LightGCN's authors initialise the embeddings N(0, 0.1²).
    public EmbeddingSpec UserTable { get; } = new("lightgcn_user", TableSide.User, dim, 0.1, Whole: true);
    public EmbeddingSpec ItemTable { get; } = new("lightgcn_item", TableSide.Item, dim, 0.1, Whole: true);
    public EmbeddingSpec FinalUsers { get; } = new("lightgcn_user_final", TableSide.User, dim, 0);
    public EmbeddingSpec FinalItems { get; } = new("lightgcn_item_final", TableSide.Item, dim, 0);

    public IReadOnlyList<EmbeddingSpec> Embeddings => [UserTable, ItemTable];
    public IReadOnlyList<DenseSpec> Dense => [];
    public IReadOnlyList<EmbeddingSpec> ScoringTables => [FinalUsers, FinalItems];

    /// <summary>rows: each row's user's and item's final (propagated) embeddings, [R, dim] each.</summary>
    public Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false) =>
        g.ReduceSum(g.Mul(rows[FinalUsers.Name], rows[FinalItems.Name]), [1]);

    /// <summary>The final user and item tables: the mean of layers 0..K of propagation from <paramref name="users"/> and <paramref name="items"/>.</summary>
    public (Value Users, Value Items) Propagate(GraphBuilder g, Value users, Value items, Value edgeUsers, Value edgeItems, Value edgeWeights)
    {
        var weights = g.Unsqueeze(edgeWeights, 1);
        Value Spread(Value from, Value fromIndex, Value to, Value toIndex) => g.ScatterAdd(g.ZerosLike(to), toIndex, g.Mul(g.Gather(from, fromIndex), weights));
        var (layerUsers, layerItems, sumUsers, sumItems) = (users, items, users, items);
        for (var k = 0; k < layers; k++)
        {
            (layerUsers, layerItems) = (Spread(layerItems, edgeItems, users, edgeUsers), Spread(layerUsers, edgeUsers, items, edgeItems));
            (sumUsers, sumItems) = (g.Add(sumUsers, layerUsers), g.Add(sumItems, layerItems));
        }
        var mean = g.Scalar(1.0 / (layers + 1), users.Type);
        return (g.Mul(sumUsers, mean), g.Mul(sumItems, mean));
    }

    /// <summary>The graph's edges as inputs a feed or a scoring source binds.</summary>
    public (Value Users, Value Items, Value Weights) EdgeInputs(Func<string, DType, Value> input) =>
        (input(EdgeUsers, DType.Int64), input(EdgeItems, DType.Int64), input(EdgeWeights, DType.Float));

    /// <summary>Propagates over the whole tables, then gathers each row's user and item by index (the tables are bound whole, so slots are indices).</summary>
    public Value TrainingLogits(WorkingSetInputs x, IReadOnlyDictionary<string, Value> tables, IReadOnlyDictionary<string, Value> dense)
    {
        var g = x.G;
        var edges = Dim.Named("E");
        var (edgeUsers, edgeItems, edgeWeights) = EdgeInputs((name, type) => x.Input(name, type, edges));
        var (users, items) = Propagate(g, tables[UserTable.Name], tables[ItemTable.Name], edgeUsers, edgeItems, edgeWeights);
        var rows = new Dictionary<string, Value>
        {
            [FinalUsers.Name] = g.Gather(users, x.RowInput(RowUsers, DType.Int64)),
            [FinalItems.Name] = g.Gather(items, x.RowInput(RowItems, DType.Int64)),
        };
        return Logits(g, rows, dense, training: true);
    }

    public IStepFeed CreateStepFeed(int maxRows) => new LightGcnFeed(graph, maxRows);

    public IScoringSource CreateScoringSource(IParameterStore store, ExecutionDevice device) => new PropagatedTables(this, store, device);

    /// <summary>The score is a dot product of final embeddings: a block of users against the catalogue is one MatMul over the propagated tables.</summary>
    public IUserBlockScorer CreateBlockScorer(IScoringSource source, ExecutionDevice device) => new WholeBlockScorer(source, BlockGraph(), device);

    private byte[] BlockGraph()
    {
        var g = new GraphBuilder("lightgcn_user_block");
        var users = g.Input(WholeBlockScorer.UserInput, DType.Int64, Dim.Named("B"));
        var userTable = g.Input(FinalUsers.Name, DType.Float, Dim.Named("users"), FinalUsers.Dim);
        var itemTable = g.Input(FinalItems.Name, DType.Float, Dim.Named("items"), FinalItems.Dim);
        return g.ToBytes([g.Named(g.MatMul(g.Gather(userTable, users), g.Transpose(itemTable, 1, 0)), WholeBlockScorer.LogitsOutput)]);
    }
}
