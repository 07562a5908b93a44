namespace InverseLearning.Data.Simulation;

/// <summary>Walker/Vose alias table: draws an index with probability proportional to its weight in O(1).</summary>
internal sealed class AliasTable
{
    private readonly double[] _probability;
    private readonly int[] _alias;

    /// <param name="tick">Called once per weight scaled and once per pair made (at most twice the weights): a catalogue of tens of
    /// millions takes seconds here, which a draw's progress and cancellation must reach (a SIGTERM went unheard until forced).</param>
    public AliasTable(ReadOnlySpan<double> weights, Action? tick = null)
    {
        var n = weights.Length;
        _probability = new double[n];
        _alias = new int[n];
        var total = 0.0;
        foreach (var w in weights) total += w;

        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1 ? small : large).Push(i);
            tick?.Invoke();
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            _probability[s] = scaled[s];
            _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
            tick?.Invoke();
        }
        // What is left is 1 up to rounding.
        foreach (var i in large) { _probability[i] = 1; _alias[i] = i; }
        foreach (var i in small) { _probability[i] = 1; _alias[i] = i; }
    }

    public int Draw(ref SimRandom random)
    {
        var column = random.NextInt(_probability.Length);
        return random.NextDouble() < _probability[column] ? column : _alias[column];
    }
}
