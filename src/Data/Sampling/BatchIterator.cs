namespace InverseLearning.Data;

/// <summary>
/// Shuffled mini-batches of labeled rows, each followed by ng freshly sampled unlabeled
/// rows per labeled row. The order and the samples depend only on (seed, epoch), so an
/// epoch can be replayed; a new epoch reshuffles and resamples. One <see cref="Batch"/>
/// is reused throughout, so iterating allocates nothing per batch.
/// </summary>
public sealed class BatchIterator
{
    private readonly LabeledSet _rows;
    private readonly int _batchSize;
    private readonly int _ng;
    private readonly UnlabeledSampler? _sampler;
    private readonly int _seed;
    private readonly int[] _order;
    private readonly Batch _batch;
    private readonly StampTable _userStamps;
    private readonly StampTable _itemStamps;

    public BatchIterator(LabeledSet rows, int batchSize, int ng, UnlabeledSampler? sampler, int seed)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        if (ng < 0) throw new ArgumentOutOfRangeException(nameof(ng), "ng must be 0 or more");
        if (ng > 0 && sampler is null) throw new ArgumentException("ng > 0 needs a sampler", nameof(sampler));
        _rows = rows;
        _batchSize = batchSize;
        _ng = sampler is null ? 0 : ng;
        _sampler = sampler;
        _seed = seed;
        _order = new int[rows.Count];
        _batch = new Batch(batchSize * (1 + _ng), batchSize);
        _userStamps = new StampTable(MaxPlusOne(rows.Users, 0));
        _itemStamps = new StampTable(MaxPlusOne(rows.Items, sampler?.ItemCount ?? 0));
    }

    public int BatchSize => _batchSize;

    /// <summary>Number of batches per epoch (the last one may be short).</summary>
    public int BatchCount => (_rows.Count + _batchSize - 1) / _batchSize;

    public IEnumerable<Batch> Epoch(int epoch)
    {
        var shuffle = new SplitMix64(SplitMix64.Mix(_seed, 2L * epoch));
        for (var i = 0; i < _order.Length; i++) _order[i] = i;
        for (var i = _order.Length - 1; i > 0; i--)
        {
            var j = (int)shuffle.NextBelow((ulong)i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
        // System.Random(int) uses a fixed legacy algorithm for explicit seeds, stable across .NET versions.
        var samples = new Random((int)SplitMix64.Mix(_seed, 2L * epoch + 1));
        return Batches(samples);
    }

    private IEnumerable<Batch> Batches(Random samples)
    {
        for (var start = 0; start < _order.Length; start += _batchSize)
        {
            Fill(start, Math.Min(_batchSize, _order.Length - start), samples);
            yield return _batch;
        }
    }

    private void Fill(int start, int labeled, Random samples)
    {
        var users = _batch.UsersBuffer;
        var items = _batch.ItemsBuffer;
        var labels = _batch.LabelsBuffer;
        for (var r = 0; r < labeled; r++)
        {
            var row = _order[start + r];
            users[r] = _rows.Users[row];
            items[r] = _rows.Items[row];
            labels[r] = _rows.Labels[row];
        }
        var unlabeled = labeled * _ng;
        if (unlabeled > 0)
        {
            _sampler!.Sample(users[..labeled], _ng, items.Slice(labeled, unlabeled), samples);
            for (var r = 0; r < labeled; r++)
                users.Slice(labeled + r * _ng, _ng).Fill(users[r]);
        }
        _batch.SetCounts(labeled, unlabeled);
        _batch.Index(_userStamps, _itemStamps);
    }

    private static int MaxPlusOne(int[] values, int atLeast)
    {
        var max = atLeast - 1;
        foreach (var value in values) if (value > max) max = value;
        return max + 1;
    }
}
