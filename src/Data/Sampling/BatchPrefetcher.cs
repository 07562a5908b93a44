namespace InverseLearning.Data;

/// <summary>
/// Walks an epoch's batches one ahead: <see cref="PrepareNext"/> fills the next batch on a
/// worker thread (copying its rows, drawing its unlabeled samples, indexing it) while the
/// caller trains on the current one. The batches still come in the iterator's order from
/// one thread at a time, so an epoch is the same as without prefetching. The iterator reuses
/// one <see cref="Batch"/>: copy what you need from <see cref="Current"/> before
/// <see cref="PrepareNext"/>.
/// </summary>
public sealed class BatchPrefetcher : IDisposable
{
    private readonly IEnumerator<Batch> _batches;
    private readonly Func<bool> _fillNext;    // one delegate for the whole epoch, not one per batch
    private Task<bool>? _next;

    public BatchPrefetcher(IEnumerable<Batch> epoch)
    {
        _batches = epoch.GetEnumerator();
        _fillNext = _batches.MoveNext;
    }

    public Batch Current => _next is null ? _batches.Current : throw new InvalidOperationException("the batch is being refilled: read it before PrepareNext");

    /// <summary>Moves to the next batch, waiting for it if it is being prepared; false at the end of the epoch.</summary>
    public bool MoveNext()
    {
        if (_next is null) return _batches.MoveNext();
        var next = _next;
        _next = null;
        return next.GetAwaiter().GetResult();   // rethrows the iterator's own exception, not an AggregateException
    }

    /// <summary>Starts filling the next batch; <see cref="Current"/> must not be read until <see cref="MoveNext"/>.</summary>
    public void PrepareNext() => _next = Task.Run(_fillNext);

    /// <summary>Waits for a batch still being prepared (a step failed meanwhile: its failure is the one reported).</summary>
    public void Dispose()
    {
        if (_next is not null) ((IAsyncResult)_next).AsyncWaitHandle.WaitOne();
        _batches.Dispose();
    }
}
