namespace InverseLearning.Data;

/// <summary>
/// Shuffled mini-batches of labeled rows held in memory, each followed by ng freshly sampled
/// unlabeled rows per labeled row. The order and the samples depend only on (seed, epoch), so
/// an epoch can be replayed; a new epoch reshuffles and resamples. One <see cref="Batch"/>
/// is reused throughout, so iterating allocates nothing per batch.
/// </summary>
public sealed class BatchIterator : IBatchSchedule
{
    private readonly LabeledSet _rows;
    private readonly BatchAssembler _assembler;
    private readonly int _seed;
    private readonly int[] _order;

    public BatchIterator(LabeledSet rows, int batchSize, int ng, UnlabeledSampler? sampler, int seed)
    {
        _rows = rows;
        _assembler = new BatchAssembler(batchSize, ng, sampler, MaxPlusOne(rows.Users, 0), MaxPlusOne(rows.Items, 0));
        _seed = seed;
        _order = new int[rows.Count];
    }

    public int BatchSize => _assembler.BatchSize;

    /// <summary>Number of batches per epoch (the last one may be short).</summary>
    public int BatchCount => (_rows.Count + BatchSize - 1) / BatchSize;

    public IEnumerable<Batch> Epoch(int epoch)
    {
        var shuffle = BatchAssembler.Shuffle(_seed, epoch);
        for (var i = 0; i < _order.Length; i++) _order[i] = i;
        for (var i = _order.Length - 1; i > 0; i--)
        {
            var j = (int)shuffle.NextBelow((ulong)i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
        return Batches(BatchAssembler.Samples(_seed, epoch));
    }

    private IEnumerable<Batch> Batches(Random samples)
    {
        for (var start = 0; start < _order.Length; start += BatchSize)
            yield return Fill(start, Math.Min(BatchSize, _order.Length - start), samples);
    }

    private Batch Fill(int start, int labeled, Random samples)
    {
        var batch = _assembler.Batch;
        var users = batch.UsersBuffer;
        var items = batch.ItemsBuffer;
        var labels = batch.LabelsBuffer;
        for (var r = 0; r < labeled; r++)
        {
            var row = _order[start + r];
            users[r] = _rows.Users[row];
            items[r] = _rows.Items[row];
            labels[r] = _rows.Labels[row];
        }
        return _assembler.Complete(labeled, samples);
    }

    private static int MaxPlusOne(int[] values, int atLeast)
    {
        var max = atLeast - 1;
        foreach (var value in values) if (value > max) max = value;
        return max + 1;
    }
}
