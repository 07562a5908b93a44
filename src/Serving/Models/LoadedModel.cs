using InverseLearning.Serving.Scoring;
using InverseLearning.V1;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Serving.Models;

/// <summary>
/// The live handle of a model being served (<see cref="Loading.ModelLoader"/> makes it, once its
/// checks pass): its ORT session (created once, shared by all calls), batcher, catalogue,
/// seen items and info. Reference-counted so that a swap lets in-flight requests finish on it:
/// the server holds one reference, each request one more, and the session is freed when the
/// last is released.
/// </summary>
public sealed class LoadedModel
{
    private readonly InferenceSession _session;
    private readonly ScoringBatcher _batcher;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _references = 1;

    internal LoadedModel(string path, int? bundleVersion, InferenceSession session, ScoringBatcher batcher, long[] catalog, SeenItems? seen, ModelInfo info)
    {
        Path = path;
        BundleVersion = bundleVersion;
        _session = session;
        _batcher = batcher;
        Catalog = catalog;
        Seen = seen;
        Info = info;
    }

    public string Path { get; }

    /// <summary>The repository version it came from, or null for a model served from a plain file.</summary>
    public int? BundleVersion { get; }
    public ModelInfo Info { get; }
    public string Version => Info.Version;

    /// <summary>Requests waiting for this model's batcher.</summary>
    public int QueuedRequests => _batcher.Queued;

    /// <summary>Every item id the model knows, in the model's order: what Recommend ranks.</summary>
    public long[] Catalog { get; }

    /// <summary>The training log's interactions, or null when no seen.parquet came with the model.</summary>
    public SeenItems? Seen { get; }

    /// <summary>Finishes once the model is retired and its last request has finished.</summary>
    public Task Released => _released.Task;

    /// <param name="waitForRoom">Wait for room when the scoring queue is full, instead of failing with <see cref="ScoringQueueFullException"/>.</param>
    public Task<ScoreResult> ScoreAsync(long userId, IList<long> items, CancellationToken cancellationToken, bool waitForRoom = false) =>
        _batcher.ScoreAsync(new[] { userId }, items, cancellationToken, waitForRoom);

    /// <summary>Scores <paramref name="items"/> for user 0 as the load's check that the model scores sanely, uncounted in the batch metrics.</summary>
    internal Task<ScoreResult> ProbeAsync(IList<long> items, CancellationToken cancellationToken) =>
        _batcher.ScoreAsync(new[] { 0L }, items, cancellationToken, isProbe: true);

    /// <summary>Scores each item for its own user (<paramref name="users"/> one per item), in one batch job.</summary>
    public Task<ScoreResult> ScoreRowsAsync(ReadOnlyMemory<long> users, IList<long> items, CancellationToken cancellationToken) =>
        _batcher.ScoreAsync(users, items, cancellationToken);

    /// <summary>Takes a reference for one request; false once the model has been fully released.</summary>
    public bool TryAcquire()
    {
        var count = Volatile.Read(ref _references);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, count + 1, count);
            if (seen == count) return true;
            count = seen;
        }
        return false;
    }

    /// <summary>Drops a reference; the last one drains the batcher and frees the session.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) _ = FreeAsync();
    }

    /// <summary>Drains the batcher and frees the session: the last release, or a model that failed its checks.</summary>
    internal async Task FreeAsync()
    {
        try
        {
            await _batcher.DrainAsync().ConfigureAwait(false);
        }
        finally
        {
            _session.Dispose();
            _released.TrySetResult();
        }
    }

}
