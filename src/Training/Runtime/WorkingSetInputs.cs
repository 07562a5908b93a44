using InverseLearning.Training.Graph;
using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// The inputs of every training-time graph: the working set (the rows of each
/// embedding table that a batch touches, and the dense parameters), the batch's rows as
/// slots into it, and the rows' labels. Row r is a labeled row when unlabeled[r] = 0
/// (its label in label[r]) and a sampled unlabeled row when unlabeled[r] = 1. A model declares
/// any further input its step feed binds (<see cref="Input"/>, <see cref="RowInput"/>).
/// </summary>
public sealed class WorkingSetInputs
{
    public const string UserSlot = "user_slot", ItemSlot = "item_slot", Label = "label", Unlabeled = "unlabeled";

    private readonly IRecommender _model;
    private readonly WorkingSetInputs? _allRows;
    private readonly Value? _rowCount;
    private readonly Dictionary<string, Value> _inputs;
    private WorkingSetInputs? _labeledRows;

    public WorkingSetInputs(GraphBuilder g, IRecommender model)
    {
        G = g;
        _model = model;
        var rows = Dim.Named("R");
        Tables = model.Embeddings.ToDictionary(e => e.Name,
            e => g.Input(e.Name, DType.Float, Dim.Named(e.Side switch { TableSide.User => "U", TableSide.History => "J", _ => "I" }), e.Dim));
        Dense = model.Dense.ToDictionary(d => d.Name, d => g.Input(d.Name, DType.Float, d.Shape.Select(s => new Dim(s)).ToArray()));
        UserSlots = g.Input(UserSlot, DType.Int64, rows);
        ItemSlots = g.Input(ItemSlot, DType.Int64, rows);
        Labels = g.Input(Label, DType.Float, rows);
        UnlabeledMask = g.Input(Unlabeled, DType.Float, rows);
        _inputs = [];
    }

    /// <summary>A view of <paramref name="all"/>'s first <paramref name="count"/> rows (an int64 [1] vector): same tables, fewer rows.</summary>
    private WorkingSetInputs(WorkingSetInputs all, Value count)
    {
        G = all.G;
        _model = all._model;
        _allRows = all;
        Tables = all.Tables;
        Dense = all.Dense;
        var rows = Dim.Named("R_labeled");
        UserSlots = G.Head(all.UserSlots, count, rows);
        ItemSlots = G.Head(all.ItemSlots, count, rows);
        Labels = G.Head(all.Labels, count, rows);
        UnlabeledMask = G.Head(all.UnlabeledMask, count, rows);
        _rowCount = count;
        _inputs = [];
    }

    /// <summary>
    /// The same working set seen through the batch's leading rows that hold its labeled rows: a
    /// batch puts them first (<see cref="StepRows.Set"/>). Graphs that need only labeled rows
    /// (IG's candidate losses) compute over half a batch; a view's own view is itself. The view's row count is rounded up to
    /// a multiple of <see cref="RowBlock"/> (the few unlabeled rows it takes in weigh nothing):
    /// ORT's matrix products compute a batch in blocks of 4 rows and a last, shorter block
    /// rounds differently, so a view ending mid-block would score its last rows a bit apart from the whole batch.
    /// </summary>
    public WorkingSetInputs LabeledRows => _allRows is not null ? this : _labeledRows ??= new WorkingSetInputs(this, G.Unsqueeze(LeadingRowsHoldingLabeled(), 0));

    private const long RowBlock = 4;

    private Value LeadingRowsHoldingLabeled()
    {
        var labeled = G.Cast(G.Sum(LabeledMask), DType.Int64);
        var block = G.Scalar(RowBlock, DType.Int64);
        var rounded = G.Mul(G.Div(G.Add(labeled, G.Scalar(RowBlock - 1, DType.Int64)), block), block);
        return G.Min(rounded, G.Size(UserSlots));
    }

    /// <summary>
    /// Per-row values of this view's rows, followed by zeros for the batch's other rows: a sum
    /// over them adds what a sum over the whole batch with those rows weighted 0 adds, in the same order.
    /// </summary>
    public Value ToAllRows(Value perRow) => _allRows is null ? perRow : G.PadRowsLike(perRow, _allRows.UserSlots);

    public GraphBuilder G { get; }
    public IReadOnlyDictionary<string, Value> Tables { get; }
    public IReadOnlyDictionary<string, Value> Dense { get; }
    public Value UserSlots { get; }
    public Value ItemSlots { get; }
    public Value Labels { get; }
    public Value UnlabeledMask { get; }
    /// <summary>An input a model's step feed binds, declared once however many forwards read it (a view shares its batch's).</summary>
    public Value Input(string name, DType type, params Dim[] shape)
    {
        if (_allRows is not null) return _allRows.Input(name, type, shape);
        if (!_inputs.TryGetValue(name, out var input)) _inputs[name] = input = G.Input(name, type, shape);
        return input;
    }

    /// <summary>A per-row input a model's step feed binds ([R], one value per batch row); a view sees its own rows of it.</summary>
    public Value RowInput(string name, DType type)
    {
        if (_allRows is null) return Input(name, type, UserSlots.Shape.Dims[0]);
        if (!_inputs.TryGetValue(name, out var rows)) _inputs[name] = rows = G.Head(_allRows.RowInput(name, type), _rowCount!, UserSlots.Shape.Dims[0]);
        return rows;
    }

    /// <summary>1 − unlabeled: the mask of labeled rows.</summary>
    public Value LabeledMask => G.Sub(G.Scalar(1), UnlabeledMask);

    /// <summary>Parameters in store order: tables, then dense.</summary>
    public IReadOnlyList<Value> Parameters => [.. _model.Embeddings.Select(e => Tables[e.Name]), .. _model.Dense.Select(d => Dense[d.Name])];

    /// <summary>Training-mode logits [R] at the given parameters (in <see cref="Parameters"/> order); the inputs' own by default.</summary>
    public Value Logits(IReadOnlyList<Value>? parameters = null)
    {
        var p = parameters ?? Parameters;
        var embeddings = _model.Embeddings;
        var tables = new Dictionary<string, Value>();
        for (var k = 0; k < embeddings.Count; k++) tables[embeddings[k].Name] = p[k];
        var dense = new Dictionary<string, Value>();
        for (var k = 0; k < _model.Dense.Count; k++) dense[_model.Dense[k].Name] = p[embeddings.Count + k];
        return _model.TrainingLogits(this, tables, dense);
    }
}
