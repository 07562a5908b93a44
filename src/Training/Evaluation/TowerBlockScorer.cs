using InverseLearning.Training.Graph;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Evaluation;

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
    private readonly ParameterStore _store;
    private readonly GraphSession _session;
    private readonly long[] _users, _items;
    private readonly float[] _chunk = new float[PairsPerRun];

    public TowerBlockScorer(ParameterStore store, ExecutionDevice device)
    {
        if (store.Model is not (NeuMf or Mlp)) throw new ArgumentException($"TowerBlockScorer scores neumf and mlp, not {store.Model.Name}", nameof(store));
        _store = store;
        ItemRows = (int)Table(store, "item_mlp").Shape[0];
        MaxUsers = Math.Min(UserBlockScorer.UsersPerBlock(ItemRows), 64);
        _users = new long[MaxUsers];
        _items = new long[PairsPerRun];
        _session = new GraphSession(Graph(store), device);
    }

    public int MaxUsers { get; }
    public int ItemRows { get; }

    public void Score(ReadOnlySpan<int> users, float[] logits)
    {
        UserBlockScorer.BindBlock(_session, _store, users, _users, UserInput);
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

    private static ParameterBuffer Table(ParameterStore store, string name) => store.Tables.Single(t => t.Name == name);

    private static byte[] Graph(ParameterStore store)
    {
        var g = new GraphBuilder("tower_user_block");
        var users = g.Input(UserInput, DType.Int64, Dim.Named("B"));
        var items = g.Input(ItemInput, DType.Int64, Dim.Named("C"));
        var tables = store.Tables.ToDictionary(t => t.Name, t => g.Input(t.Name, DType.Float, Dim.Named(t.Name + "_rows"), t.Shape[1]));
        var dense = store.Dense.ToDictionary(d => d.Name, d => g.Input(d.Name, DType.Float, d.Shape.Select(s => new Dim(s)).ToArray()));
        var width = store.Tables.Single(t => t.Name == "user_mlp").Shape[1];

        // First layer, split: [B, H] + [C, H] → ReLU over [B, C, H], then one row per pair.
        var w0 = dense["mlp0.weight"];
        var userPart = g.MatMul(g.Gather(tables["user_mlp"], users), g.Slice(w0, [0], [width], [0]));
        var itemPart = g.Gemm(g.Gather(tables["item_mlp"], items), g.Slice(w0, [width], [2 * width], [0]), dense["mlp0.bias"]);
        var hidden = w0.Shape[1].Size;
        var h = g.Reshape(g.Relu(g.Add(g.Unsqueeze(userPart, 1), g.Unsqueeze(itemPart, 0))), -1, hidden);
        for (var k = 1; dense.ContainsKey($"mlp{k}.weight"); k++)
            h = g.Relu(g.Gemm(h, dense[$"mlp{k}.weight"], dense[$"mlp{k}.bias"]));

        if (store.Model is NeuMf)
        {
            var dim = store.Tables.Single(t => t.Name == "user_gmf").Shape[1];
            var gmf = g.Mul(g.Unsqueeze(g.Gather(tables["user_gmf"], users), 1), g.Unsqueeze(g.Gather(tables["item_gmf"], items), 0));
            h = g.Concat(1, g.Reshape(gmf, -1, dim), h);
        }
        var logits = g.Reshape(g.Gemm(h, dense["predict.weight"], dense["predict.bias"]), -1);
        return g.ToBytes([g.Named(logits, LogitsOutput)]);
    }

    public void Dispose() => _session.Dispose();
}
