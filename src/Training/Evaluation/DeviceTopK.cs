using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// The full ranking's top-K taken where the logits are: a block's excluded (user, item) pairs
/// (item row 0 and the user's history) are set to −∞ by ScatterND, then ONNX TopK keeps the K
/// best per user (ties to the lower index, as <see cref="TopKSelection"/> ranks them). Only the
/// K items per user come back, not the block's logits: on a GPU that is kilobytes a block
/// instead of the whole [users × items] matrix.
/// </summary>
public sealed class DeviceTopK : IDisposable
{
    private const string Logits = "logits", Pairs = "excluded", Fill = "fill", K = "k", Values = "values", Indices = "indices";
    private readonly GraphSession _session;
    private readonly long[] _k;
    private long[] _pairs = [];
    private float[] _fill = [];
    private readonly float[] _values;
    private readonly long[] _indices;

    public DeviceTopK(int maxUsers, int k, ExecutionDevice device)
    {
        _k = [k];
        _values = new float[maxUsers * k];
        _indices = new long[maxUsers * k];
        _session = new GraphSession(Graph(), device);
    }

    /// <summary>
    /// Fills top[b · K ..] with user b's best items of <paramref name="logits"/> ([users, itemRows]),
    /// item 0 and <paramref name="excludedOf"/>(b) left out, best first; counts[b] says how many
    /// (fewer than K when fewer items are left). The logits stay as they are: ScatterND writes the
    /// masked copy ORT allocates.
    /// </summary>
    public void Select(TensorMemory logits, int users, int itemRows, Func<int, ReadOnlySpan<int>> excludedOf, int[] top, int[] counts)
    {
        var n = 0;
        for (var b = 0; b < users; b++) n += 1 + excludedOf(b).Length;
        if (_pairs.Length < 2 * n)
        {
            _pairs = GC.AllocateArray<long>(2 * n, pinned: true);
            _fill = GC.AllocateArray<float>(n, pinned: true);
            Array.Fill(_fill, float.NegativeInfinity);
        }
        var at = 0;
        for (var b = 0; b < users; b++)
        {
            (_pairs[at], _pairs[at + 1]) = (b, 0);
            at += 2;
            foreach (var item in excludedOf(b))
            {
                (_pairs[at], _pairs[at + 1]) = (b, item);
                at += 2;
            }
        }
        var k = (int)_k[0];
        _session.Input(Logits, logits, users, itemRows);
        _session.Input(Pairs, _pairs, n, 2);
        _session.Input(Fill, _fill, n);
        _session.Input(K, _k, 1);
        _session.Output(Values, _values, users, k);
        _session.Output(Indices, _indices, users, k);
        _session.Run();
        for (var b = 0; b < users; b++)
        {
            var count = 0;
            while (count < k && !float.IsNegativeInfinity(_values[b * k + count])) count++;
            for (var r = 0; r < count; r++) top[b * k + r] = (int)_indices[b * k + r];
            counts[b] = count;
        }
    }

    private static byte[] Graph()
    {
        var g = new GraphBuilder("device_top_k");
        var logits = g.Input(Logits, DType.Float, Dim.Named("B"), Dim.Named("I"));
        var pairs = g.Input(Pairs, DType.Int64, Dim.Named("P"), new Dim(2));
        var fill = g.Input(Fill, DType.Float, Dim.Named("P"));
        var k = g.Input(K, DType.Int64, new Dim(1));
        var (values, indices) = g.TopK(g.ScatterND(logits, pairs, fill), k);
        return g.ToBytes([g.Named(values, Values), g.Named(indices, Indices)]);
    }

    public void Dispose() => _session.Dispose();
}
