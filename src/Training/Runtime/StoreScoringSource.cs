namespace InverseLearning.Training.Runtime;

/// <summary>A model that scores from its own embedding tables: they are bound from the store as they are.</summary>
public sealed class StoreScoringSource(IParameterStore store) : IScoringSource
{
    public IParameterStore Store => store;

    public void Bind(GraphSession session, ReadOnlySpan<int> users) => store.Bind(session);

    public float[] Table(int scoringTable) => ReadTable(store, store.Model.ScoringTables[scoringTable].Name);

    /// <summary>A copy of the store's parameter <paramref name="name"/>.</summary>
    public static float[] ReadTable(IParameterStore store, string name)
    {
        var k = store.Parameters.Select(p => p.Name).ToList().IndexOf(name);
        if (k < 0) throw new ArgumentException($"the store holds no parameter {name}", nameof(name));
        var values = new float[store.Parameters[k].Length];
        store.Read(k, 0, values);
        return values;
    }

    public void Dispose() { }
}
