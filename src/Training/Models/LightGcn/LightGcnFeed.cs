using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>What a LightGCN step is fed beside its rows: the graph's edges (the same every step), and each row's user and item as table indices.</summary>
public sealed class LightGcnFeed(InteractionGraph graph, int maxRows) : IStepFeed
{
    private readonly long[] _users = GC.AllocateArray<long>(maxRows, pinned: true), _items = GC.AllocateArray<long>(maxRows, pinned: true);
    private int _count;

    public void Prepare(StepRows rows)
    {
        _count = rows.Count;
        for (var r = 0; r < _count; r++)
        {
            _users[r] = rows.Users[r];
            _items[r] = rows.Items[r];
        }
    }

    public ReadOnlySpan<int> HistoryItems => [];
    public int HistoryItemCapacity => 0;

    public void Bind(GraphSession session)
    {
        // The same edges every step: on a GPU they are uploaded once.
        session.Constant(LightGcn.EdgeUsers, graph.Users, graph.EdgeCount);
        session.Constant(LightGcn.EdgeItems, graph.Items, graph.EdgeCount);
        session.Constant(LightGcn.EdgeWeights, graph.Weights, graph.EdgeCount);
        session.Input(LightGcn.RowUsers, _users, _count);
        session.Input(LightGcn.RowItems, _items, _count);
    }
}
