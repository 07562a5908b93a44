namespace InverseLearning.Data;

/// <summary>
/// Completes a batch whose labeled rows a source has written: draws ng unlabeled items per
/// labeled row (the labeled row's user with each), then indexes the batch's distinct users
/// and items. Shared by every source of batches, so that in-memory and streamed epochs
/// sample and index the same way.
/// </summary>
internal sealed class BatchAssembler
{
    private readonly int _ng;
    private readonly UnlabeledSampler? _sampler;
    private readonly StampTable _userStamps, _itemStamps;

    /// <param name="userCount">Bound on user indices (exclusive).</param>
    /// <param name="itemCount">Bound on item indices (exclusive), the sampler's catalogue included.</param>
    public BatchAssembler(int batchSize, int ng, UnlabeledSampler? sampler, int userCount, int itemCount)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        if (ng < 0) throw new ArgumentOutOfRangeException(nameof(ng), "ng must be 0 or more");
        if (ng > 0 && sampler is null) throw new ArgumentException("ng > 0 needs a sampler", nameof(sampler));
        BatchSize = batchSize;
        _ng = sampler is null ? 0 : ng;
        _sampler = sampler;
        Batch = new Batch(batchSize * (1 + _ng), batchSize);
        _userStamps = new StampTable(userCount);
        _itemStamps = new StampTable(Math.Max(itemCount, sampler?.ItemCount ?? 0));
    }

    public int BatchSize { get; }

    /// <summary>The one batch, refilled each time: write labeled rows into its buffers, then <see cref="Complete"/>.</summary>
    public Batch Batch { get; }

    public Batch Complete(int labeled, Random samples)
    {
        var users = Batch.UsersBuffer;
        var unlabeled = labeled * _ng;
        if (unlabeled > 0)
        {
            _sampler!.Sample(users[..labeled], _ng, Batch.ItemsBuffer.Slice(labeled, unlabeled), samples);
            for (var r = 0; r < labeled; r++)
                users.Slice(labeled + r * _ng, _ng).Fill(users[r]);
        }
        Batch.SetCounts(labeled, unlabeled);
        Batch.Index(_userStamps, _itemStamps);
        return Batch;
    }

    /// <summary>The sample stream of (seed, epoch). System.Random(int) uses a fixed legacy algorithm for explicit seeds, stable across .NET versions.</summary>
    public static Random Samples(int seed, int epoch) => new((int)SplitMix64.Mix(seed, 2L * epoch + 1));

    /// <summary>The shuffle stream of (seed, epoch).</summary>
    public static SplitMix64 Shuffle(int seed, int epoch) => new(SplitMix64.Mix(seed, 2L * epoch));
}
