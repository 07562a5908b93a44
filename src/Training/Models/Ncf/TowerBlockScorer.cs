using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// NeuMF and MLP against blocks of items. Their MLP tower's first layer acts on the
/// concatenation [p_u; q_i], so it splits into a user part and an item part:
/// [p_u; q_i]·W₀ + b₀ = p_u·W₀ᵘ + (q_i·W₀ⁱ + b₀). Each part is computed once per block
/// (B users, C items), and only their sum's ReLU and the narrower layers run per pair —
/// the widest layer's cost leaves the pair loop. NeuMF's GMF branch and the predict layer
/// follow as in the model. Tests hold it equal to the model's own scoring graph.
/// </summary>
public sealed class TowerBlockScorer : IUserBlockScorer
{
    private const string UserInput = "user", ItemInput = "item", LogitsOutput = "logits";
    private const int PairsPerRun = 1 << 16;
    private readonly IScoringSource _source;
    private readonly GraphSession _session;
    private readonly long[] _users, _items;
    private readonly float[] _chunk = new float[PairsPerRun];

    /// <param name="gmfBranch">NeuMF's GMF tables, joined before the predict layer; null for MLP.</param>
    public TowerBlockScorer(IScoringSource source, MlpTower tower, DenseLayer predict, (EmbeddingSpec User, EmbeddingSpec Item)? gmfBranch, ExecutionDevice device)
    {
        _source = source;
        ItemRows = source.Store.ItemRows;
        MaxUsers = Math.Min(UserBlockScorer.UsersPerBlock(ItemRows), 64);
        _users = new long[MaxUsers];
        _items = new long[PairsPerRun];
        _session = new GraphSession(Graph(tower, predict, gmfBranch), device);
    }

    public int MaxUsers { get; }
    public int ItemRows { get; }

    public void Score(ReadOnlySpan<int> users, float[] logits)
    {
        UserBlockScorer.BindBlock(_session, _source, users, _users, UserInput);
        var width = PairsPerRun / users.Length;
        for (var start = 0; start < ItemRows; start += width)
        {
            var n = Math.Min(width, ItemRows - start);
            for (var j = 0; j < n; j++) _items[j] = start + j;
            _session.Input(ItemInput, _items, n);
            _session.Output(LogitsOutput, _chunk, users.Length * n);
            _session.Run();
            for (var b = 0; b < users.Length; b++)
                _chunk.AsSpan(b * n, n).CopyTo(logits.AsSpan(b * ItemRows + start, n));
        }
    }

    private static byte[] Graph(MlpTower tower, DenseLayer predict, (EmbeddingSpec User, EmbeddingSpec Item)? gmfBranch)
    {
        var g = new GraphBuilder("tower_user_block");
        var users = g.Input(UserInput, DType.Int64, Dim.Named("B"));
        var items = g.Input(ItemInput, DType.Int64, Dim.Named("C"));
        Value Table(EmbeddingSpec spec) => g.Input(spec.Name, DType.Float, Dim.Named(spec.Name + "_rows"), spec.Dim);
        Value Dense(DenseSpec spec) => g.Input(spec.Name, DType.Float, spec.Shape.Select(s => new Dim(s)).ToArray());
        var width = tower.EmbeddingDim;

        // First layer, split: [B, H] + [C, H] → ReLU over [B, C, H], then one row per pair.
        var first = tower.Layers[0];
        var w0 = Dense(first.Weight);
        var userPart = g.MatMul(g.Gather(Table(tower.UserTable), users), g.Slice(w0, [0], [width], [0]));
        var itemPart = g.Gemm(g.Gather(Table(tower.ItemTable), items), g.Slice(w0, [width], [2 * width], [0]), Dense(first.Bias));
        var h = g.Reshape(g.Relu(g.Add(g.Unsqueeze(userPart, 1), g.Unsqueeze(itemPart, 0))), -1, first.Outputs);
        foreach (var layer in tower.Layers.Skip(1))
            h = g.Relu(g.Gemm(h, Dense(layer.Weight), Dense(layer.Bias)));

        if (gmfBranch is var (userTable, itemTable))
        {
            var gmf = g.Mul(g.Unsqueeze(g.Gather(Table(userTable), users), 1), g.Unsqueeze(g.Gather(Table(itemTable), items), 0));
            h = g.Concat(1, g.Reshape(gmf, -1, userTable.Dim), h);
        }
        var logits = g.Reshape(g.Gemm(h, Dense(predict.Weight), Dense(predict.Bias)), -1);
        return g.ToBytes([g.Named(logits, LogitsOutput)]);
    }

    public void Dispose()
    {
        _session.Dispose();
        _source.Dispose();
    }
}
