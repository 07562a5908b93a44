using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// The derived user table of a history model (CDAE's h_u, from the uncorrupted history),
/// computed on the host from the store's current parameters, only for the users asked for:
/// scoring a batch costs those users' histories, never every user's. Export fills every row.
/// </summary>
public sealed class HiddenTable
{
    private readonly ParameterStore _store;
    private readonly IHistoryRecommender _model;
    private readonly ParameterBuffer _user, _input, _bias;
    private readonly int[] _stamp;
    private int _generation;

    public HiddenTable(ParameterStore store)
    {
        _store = store;
        _model = (IHistoryRecommender)store.Model;
        ParameterBuffer Table(TableSide side) => store.Tables[store.TableSides.ToList().IndexOf(side)];
        _user = Table(TableSide.User);
        _input = Table(TableSide.History);
        _bias = store.Dense.Single();
        Dim = _model.HiddenTable.Dim;
        Shape = [store.UserRows, Dim];
        Values = GC.AllocateArray<float>(store.UserRows * Dim, pinned: true);
        _stamp = new int[store.UserRows];
    }

    public string Name => _model.HiddenTable.Name;
    public int Dim { get; }
    public long[] Shape { get; }
    public float[] Values { get; }

    /// <summary>Recomputes the rows of <paramref name="users"/>, each distinct user once.</summary>
    public void Refresh(ReadOnlySpan<int> users)
    {
        var generation = ++_generation;
        foreach (var user in users)
        {
            if (_stamp[user] == generation) continue;
            _stamp[user] = generation;
            Compute(user);
        }
    }

    public void RefreshAll()
    {
        for (var user = 0; user < _store.UserRows; user++) Compute(user);
    }

    private void Compute(int user)
    {
        var hidden = Values.AsSpan(user * Dim, Dim);
        hidden.Clear();
        foreach (var item in _model.History.Of(user))
        {
            var row = _input.Values.AsSpan(item * Dim, Dim);
            for (var d = 0; d < Dim; d++) hidden[d] += row[d];
        }
        _model.HiddenOnHost(hidden, _user.Values.AsSpan(user * Dim, Dim), _bias.Values);
    }
}
