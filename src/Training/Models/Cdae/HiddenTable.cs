using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// CDAE's scoring source: its derived user table h_u, from the uncorrupted history, computed on
/// the host from the store's current parameters and only for the users asked for: scoring a
/// batch costs those users' histories, never every user's. Export fills every row.
/// </summary>
public sealed class HiddenTable : IScoringSource
{
    private readonly Cdae _model;
    private readonly int _userTable, _inputTable, _bias;
    private readonly float[] _userRow, _biasValues, _historyRows;
    private readonly int[] _stamp;
    private int _generation;

    public HiddenTable(Cdae model, IParameterStore store)
    {
        Store = store;
        _model = model;
        int Index(string name) => store.Parameters.Select(p => p.Name).ToList().IndexOf(name);
        _userTable = Index(Cdae.UserTable);
        _inputTable = Index(Cdae.InputTable);
        _bias = Index(Cdae.HiddenBias);
        Dim = model.HiddenTable.Dim;
        Shape = [store.UserRows, Dim];
        Values = GC.AllocateArray<float>(store.UserRows * Dim, pinned: true);
        _userRow = new float[Dim];
        _biasValues = new float[Dim];
        var longest = 0;
        for (var u = 0; u < model.History.UserCount; u++) longest = Math.Max(longest, model.History.Of(u).Length);
        _historyRows = new float[longest * Dim];
        _stamp = new int[store.UserRows];
    }

    public IParameterStore Store { get; }
    public string Name => _model.HiddenTable.Name;
    public int Dim { get; }
    public long[] Shape { get; }
    public float[] Values { get; }

    public void Bind(GraphSession session, ReadOnlySpan<int> users)
    {
        Refresh(users);
        Store.Bind(session);
        session.Input(Name, Values, Shape);
    }

    public float[] Table(int scoringTable)
    {
        if (scoringTable != 0) return StoreScoringSource.ReadTable(Store, _model.ScoringTables[scoringTable].Name);
        RefreshAll();
        return Values.ToArray();
    }

    /// <summary>Recomputes the rows of <paramref name="users"/>, each distinct user once.</summary>
    public void Refresh(ReadOnlySpan<int> users)
    {
        var generation = ++_generation;
        Store.Read(_bias, 0, _biasValues);
        foreach (var user in users)
        {
            if (_stamp[user] == generation) continue;
            _stamp[user] = generation;
            Compute(user);
        }
    }

    public void RefreshAll()
    {
        Store.Read(_bias, 0, _biasValues);
        for (var user = 0; user < Store.UserRows; user++) Compute(user);
    }

    private void Compute(int user)
    {
        var hidden = Values.AsSpan(user * Dim, Dim);
        hidden.Clear();
        var history = user < _model.History.UserCount ? _model.History.Of(user) : [];
        Store.ReadRows(_inputTable, history, _historyRows);
        for (var k = 0; k < history.Length; k++)
        {
            var row = _historyRows.AsSpan(k * Dim, Dim);
            for (var d = 0; d < Dim; d++) hidden[d] += row[d];
        }
        Store.ReadRows(_userTable, [user], _userRow);
        _model.HiddenOnHost(hidden, _userRow, _biasValues);
    }

    public void Dispose() { }
}
