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
    private readonly WorkingSetInputs? _allRows;
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
        if (model is IHistoryRecommender)
        {
            var entries = Dim.Named("H");
            HistorySlots = g.Input(HistoryRows.SlotInput, DType.Int64, entries);
            HistoryUsers = g.Input(HistoryRows.UserInput, DType.Int64, entries);
            HistoryWeights = g.Input(HistoryRows.WeightInput, DType.Float, entries);
        }
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
        (HistorySlots, HistoryUsers, HistoryWeights) = (all.HistorySlots, all.HistoryUsers, all.HistoryWeights);
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
    /// <summary>For a history model: per history entry its slot into the History table's rows, its user's slot, its weight.</summary>
    public Value? HistorySlots { get; }
    public Value? HistoryUsers { get; }
    public Value? HistoryWeights { get; }

    /// <summary>1 − unlabeled: the mask of labeled rows.</summary>
    public Value LabeledMask => G.Sub(G.Scalar(1), UnlabeledMask);

    /// <summary>Parameters in store order: tables, then dense.</summary>
    public IReadOnlyList<Value> Parameters => [.. _model.Embeddings.Select(e => Tables[e.Name]), .. _model.Dense.Select(d => Dense[d.Name])];

    /// <summary>Training-mode logits [R] at the given parameters (in <see cref="Parameters"/> order); the inputs' own by default.</summary>
    public Value Logits(IReadOnlyList<Value>? parameters = null)
    {
        var p = parameters ?? Parameters;
        var embeddings = _model.Embeddings;
        var dense = new Dictionary<string, Value>();
        for (var k = 0; k < _model.Dense.Count; k++) dense[_model.Dense[k].Name] = p[embeddings.Count + k];
        var rows = new Dictionary<string, Value>();
        if (_model is IHistoryRecommender history)
        {
            rows[history.HiddenTable.Name] = G.Gather(Hidden(history, p, dense), UserSlots);
            for (var k = 0; k < embeddings.Count; k++)
                if (embeddings[k].Side == TableSide.Item) rows[embeddings[k].Name] = G.Gather(p[k], ItemSlots);
        }
        else
            for (var k = 0; k < embeddings.Count; k++)
                rows[embeddings[k].Name] = G.Gather(p[k], embeddings[k].Side == TableSide.User ? UserSlots : ItemSlots);
        return _model.Logits(G, rows, dense, training: true);
    }

    /// <summary>
    /// The working set's users' hidden rows [U, dim]: the weighted history rows summed per user
    /// (a segment sum: ScatterAdd into zeros), then the model's own layer over them.
    /// </summary>
    private Value Hidden(IHistoryRecommender model, IReadOnlyList<Value> p, IReadOnlyDictionary<string, Value> dense)
    {
        var embeddings = model.Embeddings;
        var userRows = new Dictionary<string, Value>();
        Value? input = null;
        for (var k = 0; k < embeddings.Count; k++)
        {
            if (embeddings[k].Side == TableSide.User) userRows[embeddings[k].Name] = p[k];
            if (embeddings[k].Side == TableSide.History) input = p[k];
        }
        var users = userRows.Values.First();
        var entries = G.Mul(G.Gather(input!, HistorySlots!), G.Unsqueeze(HistoryWeights!, 1));
        var sum = G.ScatterAdd(G.ZerosLike(users), HistoryUsers!, entries);
        return model.Hidden(G, sum, userRows, dense);
    }
}
