using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Models;

/// <summary>
/// NCF's MLP tower: user and item embeddings of size dim·2^(layers−1) are
/// concatenated, then each ReLU layer halves the width, ending at <c>dim</c>.
/// </summary>
public sealed class MlpTower
{
    public MlpTower(int dim, int layers)
    {
        if (layers < 1) throw new ArgumentException("the MLP needs at least one layer");
        EmbeddingDim = dim << (layers - 1);
        Layers = Enumerable.Range(0, layers)
            .Select(k => new DenseLayer($"mlp{k}", (dim << (layers - k)), dim << (layers - k - 1), DenseInit.XavierUniform))
            .ToList();
    }

    public int EmbeddingDim { get; }
    public IReadOnlyList<DenseLayer> Layers { get; }

    public IEnumerable<EmbeddingSpec> Embeddings =>
        [new("user_mlp", TableSide.User, EmbeddingDim, 0.01), new("item_mlp", TableSide.Item, EmbeddingDim, 0.01)];

    public IEnumerable<DenseSpec> Dense => Layers.SelectMany(l => new[] { l.Weight, l.Bias });

    /// <summary>The tower's output, [R, dim].</summary>
    public Value Apply(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense)
    {
        var h = g.Concat(1, rows["user_mlp"], rows["item_mlp"]);
        foreach (var layer in Layers) h = g.Relu(layer.Apply(g, h, dense));
        return h;
    }
}
