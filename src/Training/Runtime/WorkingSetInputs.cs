using InverseLearning.Training.Graph;
using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// The inputs of every training-time graph: the working set (the rows of each
/// embedding table that a batch touches, and the dense parameters), the batch's rows as
/// slots into it, and the rows' labels. Row r is a labeled row when unlabeled[r] = 0
/// (its label in label[r]) and a sampled unlabeled row when unlabeled[r] = 1.
/// </summary>
public sealed class WorkingSetInputs
{
    public const string UserSlot = "user_slot", ItemSlot = "item_slot", Label = "label", Unlabeled = "unlabeled";

    private readonly IRecommender _model;

    public WorkingSetInputs(GraphBuilder g, IRecommender model)
    {
        G = g;
        _model = model;
        var rows = Dim.Named("R");
        Tables = model.Embeddings.ToDictionary(e => e.Name,
            e => g.Input(e.Name, DType.Float, Dim.Named(e.Side == TableSide.User ? "U" : "I"), e.Dim));
        Dense = model.Dense.ToDictionary(d => d.Name, d => g.Input(d.Name, DType.Float, d.Shape.Select(s => new Dim(s)).ToArray()));
        UserSlots = g.Input(UserSlot, DType.Int64, rows);
        ItemSlots = g.Input(ItemSlot, DType.Int64, rows);
        Labels = g.Input(Label, DType.Float, rows);
        UnlabeledMask = g.Input(Unlabeled, DType.Float, rows);
    }

    public GraphBuilder G { get; }
    public IReadOnlyDictionary<string, Value> Tables { get; }
    public IReadOnlyDictionary<string, Value> Dense { get; }
    public Value UserSlots { get; }
    public Value ItemSlots { get; }
    public Value Labels { get; }
    public Value UnlabeledMask { get; }

    /// <summary>1 − unlabeled: the mask of labeled rows.</summary>
    public Value LabeledMask => G.Sub(G.Scalar(1), UnlabeledMask);

    /// <summary>Parameters in store order: tables, then dense.</summary>
    public IReadOnlyList<Value> Parameters => [.. _model.Embeddings.Select(e => Tables[e.Name]), .. _model.Dense.Select(d => Dense[d.Name])];

    /// <summary>Training-mode logits [R] at the given parameters (in <see cref="Parameters"/> order); the inputs' own by default.</summary>
    public Value Logits(IReadOnlyList<Value>? parameters = null)
    {
        var p = parameters ?? Parameters;
        var embeddings = _model.Embeddings;
        var rows = new Dictionary<string, Value>();
        for (var k = 0; k < embeddings.Count; k++)
            rows[embeddings[k].Name] = G.Gather(p[k], embeddings[k].Side == TableSide.User ? UserSlots : ItemSlots);
        var dense = new Dictionary<string, Value>();
        for (var k = 0; k < _model.Dense.Count; k++) dense[_model.Dense[k].Name] = p[embeddings.Count + k];
        return _model.Logits(G, rows, dense, training: true);
    }
}
