using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// LightGCN's scoring source: the final (propagated) user and item tables, computed in ORT from
/// the store's embeddings by the model's own <see cref="LightGcn.Propagate"/>, and recomputed
/// only when the store's <see cref="IParameterStore.Version"/> has moved.
/// </summary>
public sealed class PropagatedTables : IScoringSource
{
    private const string UsersOutput = "final_users", ItemsOutput = "final_items";
    private readonly LightGcn _model;
    private readonly GraphSession _session;
    // In the store's memory: on the device for a device store, so scoring binds them where they are.
    private readonly TensorMemory _users, _items;
    private readonly long[] _userShape, _itemShape;
    private long _version = -1;

    public PropagatedTables(LightGcn model, IParameterStore store, ExecutionDevice device)
    {
        Store = store;
        _model = model;
        var dim = model.UserTable.Dim;
        _userShape = [store.UserRows, dim];
        _itemShape = [store.ItemRows, dim];
        _users = store.Allocate(store.UserRows * dim, "LightGCN's propagated user table");
        _items = store.Allocate(store.ItemRows * dim, "LightGCN's propagated item table");
        _session = new GraphSession(Graph(model), device);
    }

    public IParameterStore Store { get; }

    public void Bind(GraphSession session, ReadOnlySpan<int> users)
    {
        Refresh();
        Store.Bind(session);
        session.Input(_model.FinalUsers.Name, _users, _userShape);
        session.Input(_model.FinalItems.Name, _items, _itemShape);
    }

    public float[] Table(int scoringTable)
    {
        Refresh();
        var table = scoringTable == 0 ? _users : _items;
        var values = new float[table.Length];
        table.CopyTo(values);
        return values;
    }

    private void Refresh()
    {
        if (_version == Store.Version) return;
        Store.Bind(_session);
        var graph = _model.Graph;
        _session.Constant(LightGcn.EdgeUsers, graph.Users, graph.EdgeCount);
        _session.Constant(LightGcn.EdgeItems, graph.Items, graph.EdgeCount);
        _session.Constant(LightGcn.EdgeWeights, graph.Weights, graph.EdgeCount);
        _session.Output(UsersOutput, _users, _userShape);
        _session.Output(ItemsOutput, _items, _itemShape);
        _session.Run();
        _version = Store.Version;
    }

    private static byte[] Graph(LightGcn model)
    {
        var g = new GraphBuilder("lightgcn_propagation");
        Value Table(EmbeddingSpec spec) => g.Input(spec.Name, DType.Float, Dim.Named(spec.Name + "_rows"), spec.Dim);
        var edges = Dim.Named("E");
        var (edgeUsers, edgeItems, edgeWeights) = model.EdgeInputs((name, type) => g.Input(name, type, edges));
        var (users, items) = model.Propagate(g, Table(model.UserTable), Table(model.ItemTable), edgeUsers, edgeItems, edgeWeights);
        return g.ToBytes([g.Named(users, UsersOutput), g.Named(items, ItemsOutput)]);
    }

    public void Dispose()
    {
        _session.Dispose();
        _users.Dispose();
        _items.Dispose();
    }
}
