using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// CDAE's scoring source: its derived user table h_u, from the uncorrupted history, computed on
/// the host from the store's current parameters and only for the users asked for: scoring a
/// batch costs those users' histories, never every user's. Export fills every row. Rows are
/// read from the store for many users at once (a device store's read is one ORT run and a
/// download, not a copy per user).
/// </summary>
public sealed class HiddenTable : IScoringSource
{
    private readonly Cdae _model;
    private readonly int _userTable, _inputTable, _bias;
    // Users computed per store read, and the history rows one read may gather beyond a single user's.
    private const int UsersPerRead = 256, HistoryRowsPerRead = 1 << 14;
    private readonly float[] _userRows, _biasValues, _historyRows;
    private readonly int[] _historyIndices, _stamp;
    private readonly List<int> _pending = [];
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
        _userRows = new float[UsersPerRead * Dim];
        _biasValues = new float[Dim];
        var longest = 0;
        for (var u = 0; u < model.History.UserCount; u++) longest = Math.Max(longest, model.History.Of(u).Length);
        _historyIndices = new int[Math.Max(longest, HistoryRowsPerRead)];
        _historyRows = new float[_historyIndices.Length * Dim];
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
        _pending.Clear();
        foreach (var user in users)
        {
            if (_stamp[user] == generation) continue;
            _stamp[user] = generation;
            _pending.Add(user);
        }
        Compute(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending));
    }

    public void RefreshAll()
    {
        Store.Read(_bias, 0, _biasValues);
        Compute(Enumerable.Range(0, Store.UserRows).ToArray());
    }

    private ReadOnlySpan<int> HistoryOf(int user) => user < _model.History.UserCount ? _model.History.Of(user) : [];

    // h_u = Σ over the user's history of its input rows, then the model's hidden layer: per group of users,
    // one read of all their history rows and one of their user rows.
    private void Compute(ReadOnlySpan<int> users)
    {
        for (var start = 0; start < users.Length;)
        {
            var (end, rows) = (start, 0);
            while (end < users.Length && end - start < UsersPerRead && (end == start || rows + HistoryOf(users[end]).Length <= HistoryRowsPerRead))
            {
                HistoryOf(users[end]).CopyTo(_historyIndices.AsSpan(rows));
                rows += HistoryOf(users[end++]).Length;
            }
            var group = users[start..end];
            Store.ReadRows(_inputTable, _historyIndices.AsSpan(0, rows), _historyRows);
            Store.ReadRows(_userTable, group, _userRows);
            var row = 0;
            for (var g = 0; g < group.Length; g++)
            {
                var hidden = Values.AsSpan(group[g] * Dim, Dim);
                hidden.Clear();
                for (var k = 0; k < HistoryOf(group[g]).Length; k++, row++)
                {
                    var input = _historyRows.AsSpan(row * Dim, Dim);
                    for (var d = 0; d < Dim; d++) hidden[d] += input[d];
                }
                _model.HiddenOnHost(hidden, _userRows.AsSpan(g * Dim, Dim), _biasValues);
            }
            start = end;
        }
    }

    public void Dispose() { }
}
