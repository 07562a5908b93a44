using System.Diagnostics;
using System.Threading.Channels;
using InverseLearning.Serving.Models.Contract;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Serving.Scoring;

/// <summary>
/// Dynamic batching over one ORT session: concurrent requests queue here and one worker
/// coalesces them into a single run (up to max rows, waiting at most max wait for more),
/// then splits the outputs back per request. Under load the queue fills while a run is
/// busy, so batches grow by themselves even with no waiting. The queue is bounded: a request
/// that finds it full is refused at once (<see cref="ScoringQueueFullException"/>), never queued, unless its caller
/// asked to wait for room (a RankStream's request, whose stream stops reading meanwhile).
/// </summary>
internal sealed class ScoringBatcher
{
    private static readonly string[] InputNames = [ModelContract.UserId, ModelContract.ItemId];
    private static readonly string[] OutputNames = [ModelContract.Score, ModelContract.UserKnown, ModelContract.ItemKnown];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly int _maxRows;
    private readonly long _maxWaitTicks;
    private readonly IBatchObserver _observer;
    private readonly Channel<ScoreJob> _queue;
    private readonly int _maxQueued;
    private volatile bool _draining;
    private readonly List<ScoreJob> _batch = [];
    private readonly Task _worker;
    private ScoreJob? _carried;
    private long[] _users = new long[1024], _items = new long[1024];

    public ScoringBatcher(InferenceSession session, int maxRows, TimeSpan maxWait, int maxQueued, IBatchObserver observer)
    {
        _session = session;
        _maxQueued = maxQueued;
        _queue = Channel.CreateBounded<ScoreJob>(new BoundedChannelOptions(maxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _maxRows = maxRows;
        _maxWaitTicks = (long)(maxWait.TotalSeconds * Stopwatch.Frequency);
        _observer = observer;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Requests waiting to be scored.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>
    /// Scores <paramref name="items"/> for one user (<paramref name="users"/> of length 1) or each item for its own user (one user per item).
    /// Not async: the caller awaits the job itself, and a refusal comes back as a failed task, as from an async method.
    /// </summary>
    /// <param name="waitForRoom">
    /// Wait, until <paramref name="cancellationToken"/>, for room in a full queue instead of refusing the request: a RankStream's,
    /// whose stream stops reading while it waits (backpressure), where ending the stream would cost its client the session.
    /// </param>
    /// <param name="isProbe">The loading model's probe: scored as any request, but not counted as one (<see cref="IBatchObserver"/>).</param>
    public Task<ScoreResult> ScoreAsync(ReadOnlyMemory<long> users, IList<long> items, CancellationToken cancellationToken, bool waitForRoom = false, bool isProbe = false)
    {
        if (users.Length != 1 && users.Length != items.Count)
            return Task.FromException<ScoreResult>(new ArgumentException($"{users.Length} users for {items.Count} items: give one user, or one per item", nameof(users)));
        var job = new ScoreJob(users, items, isProbe, cancellationToken);
        if (_queue.Writer.TryWrite(job)) return job.Task;
        if (waitForRoom && !_draining) return WaitForRoomAsync(job, cancellationToken);
        job.Abandon();
        return Task.FromException<ScoreResult>(_draining
            ? new InvalidOperationException("the scoring queue is closed: its model was retired")
            : new ScoringQueueFullException(_maxQueued));
    }

    /// <summary>
    /// Queues <paramref name="job"/> once the queue has room (a waiting writer is let in as soon as the worker takes a request),
    /// then awaits it. The caller's lease keeps the model, so the queue is not closed under a job that waits.
    /// </summary>
    private async Task<ScoreResult> WaitForRoomAsync(ScoreJob job, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            job.Abandon();
            throw;
        }
        return await job.Task.ConfigureAwait(false);
    }

    /// <summary>Takes no new requests, lets queued ones run, then frees its run options.</summary>
    public async Task DrainAsync()
    {
        _draining = true;
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
        _runOptions.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (_carried is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var rows = Collect(reader, 0);
            if (_maxWaitTicks > 0 && _batch.Count > 0 && rows < _maxRows && _carried is null)
                rows = await CollectMoreAsync(reader, rows).ConfigureAwait(false);
            if (_maxWaitTicks > 0) rows = DropCancelled(); // callers may have given up during the wait
            if (_batch.Count > 0) Run(rows);
            _batch.Clear();
        }
    }

    /// <summary>Takes what is queued now. A request that would overflow a non-empty batch waits for the next one.</summary>
    private int Collect(ChannelReader<ScoreJob> reader, int rows)
    {
        if (_carried is { } carried)
        {
            _carried = null;
            rows = Add(carried, rows);
        }
        while (rows < _maxRows && reader.TryRead(out var job))
        {
            if (_batch.Count > 0 && rows + job.Rows > _maxRows)
            {
                _carried = job;
                break;
            }
            rows = Add(job, rows);
        }
        return rows;
    }

    private int Add(ScoreJob job, int rows)
    {
        if (job.Task.IsCompleted) return rows; // its caller cancelled while it queued
        _batch.Add(job);
        return rows + job.Rows;
    }

    /// <summary>Removes jobs whose callers left; returns the rows still to run.</summary>
    private int DropCancelled()
    {
        _batch.RemoveAll(job => job.Task.IsCompleted);
        return _batch.Sum(job => job.Rows);
    }

    private async Task<int> CollectMoreAsync(ChannelReader<ScoreJob> reader, int rows)
    {
        var deadline = Stopwatch.GetTimestamp() + _maxWaitTicks;
        while (rows < _maxRows && _carried is null)
        {
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0) break;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false)) break;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            rows = Collect(reader, rows);
        }
        return rows;
    }

    private void Run(int rows)
    {
        EnsureCapacity(rows);
        var offset = 0;
        foreach (var job in _batch)
        {
            if (job.Users.Length == 1) _users.AsSpan(offset, job.Rows).Fill(job.Users.Span[0]);
            else job.Users.Span.CopyTo(_users.AsSpan(offset));
            job.Items.CopyTo(_items, offset);
            offset += job.Rows;
        }
        try
        {
            long[] shape = [rows];
            using var users = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _users.AsMemory(0, rows), shape);
            using var items = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _items.AsMemory(0, rows), shape);
            using var outputs = _session.Run(_runOptions, InputNames, [users, items], OutputNames);
            var scores = outputs[0].GetTensorDataAsSpan<float>();
            var userKnown = outputs[1].GetTensorDataAsSpan<bool>();
            var itemKnown = outputs[2].GetTensorDataAsSpan<bool>();
            if (scores.Length != rows || userKnown.Length != rows || itemKnown.Length != rows)
                throw new InvalidDataException($"the model returned {scores.Length} scores for {rows} rows");
            offset = 0;
            int trafficRows = 0, trafficRequests = 0;
            foreach (var job in _batch)
            {
                job.Complete(new ScoreResult(scores.Slice(offset, job.Rows).ToArray(), userKnown[offset], itemKnown.Slice(offset, job.Rows).ToArray()));
                offset += job.Rows;
                if (job.IsProbe) continue;
                trafficRows += job.Rows;
                trafficRequests++;
            }
            // The load's probe is no request: counted, it made a server that had answered none show a batch of 16 rows, and one more per reload.
            if (trafficRequests > 0) _observer.BatchRan(trafficRows, trafficRequests);
        }
        catch (Exception e)
        {
            // Fail this batch's calls, never the worker: it serves every later batch (and
            // the probe of a model being loaded, whose failure must not hang the reload).
            foreach (var job in _batch) job.Fail(e);
        }
    }

    private void EnsureCapacity(int rows)
    {
        if (_users.Length >= rows) return;
        var size = Math.Max(rows, _users.Length * 2);
        _users = new long[size];
        _items = new long[size];
    }
}
