using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Models;

/// <summary>
/// NCF's MLP tower: user and item embeddings of size dim·2^(layers−1) are
/// concatenated, then each ReLU layer halves the width, ending at <c>dim</c>. In
/// training graphs, dropout (NCF's) precedes each layer.
/// </summary>
public sealed class MlpTower
{
    private readonly double _dropout;
    private readonly int _seed;

    public MlpTower(int dim, int layers, double dropout = 0, int seed = 0)
    {
        if (layers < 1) throw new ArgumentException("the MLP needs at least one layer");
        if (dropout is < 0 or >= 1) throw new ArgumentException($"dropout must be in [0, 1), got {dropout}");
        _dropout = dropout;
        _seed = seed;
        EmbeddingDim = dim << (layers - 1);
        Layers = Enumerable.Range(0, layers)
            .Select(k => new DenseLayer($"mlp{k}", (dim << (layers - k)), dim << (layers - k - 1), DenseInit.XavierUniform))
            .ToList();
    }

    public int EmbeddingDim { get; }
    public IReadOnlyList<DenseLayer> Layers { get; }

    public EmbeddingSpec UserTable => new("user_mlp", TableSide.User, EmbeddingDim, 0.01);
    public EmbeddingSpec ItemTable => new("item_mlp", TableSide.Item, EmbeddingDim, 0.01);
    public IEnumerable<EmbeddingSpec> Embeddings => [UserTable, ItemTable];

    public IEnumerable<DenseSpec> Dense => Layers.SelectMany(l => new[] { l.Weight, l.Bias });

    /// <summary>The tower's output, [R, dim].</summary>
    public Value Apply(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training)
    {
        var h = g.Concat(1, rows[UserTable.Name], rows[ItemTable.Name]);
        for (var k = 0; k < Layers.Count; k++)
        {
            if (training && _dropout > 0) h = g.Dropout(h, _dropout, _seed * 31L + k);
            h = g.Relu(Layers[k].Apply(g, h, dense));
        }
        return h;
    }
}
