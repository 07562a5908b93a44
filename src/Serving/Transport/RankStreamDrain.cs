using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Holds the stop of the server's listener until every RankStream has ended, and then for <see cref="ReadGrace"/>, so that
/// each stream's client reads how its stream ended before the connection closes under it.
/// <para>
/// At shutdown a stream ends (its answers, then UNAVAILABLE) while its client is still sending. .NET's HTTP/2 client keeps
/// such a stream, its request half open, until the caller has read the status; a connection that closes before that fails it, discarding the answers and the status it had not read yet, and
/// gRPC reports the close (HTTP/2 NO_ERROR) as INTERNAL. A stopping Kestrel closes a connection as soon as it has no stream
/// whose status is still to be sent: a few milliseconds after the streams ended on ApplicationStopping, which fires just
/// before the host stops Kestrel. Nothing tells the server when the caller has read (the client's reset of the stream may
/// come before), so the stop waits a grace that a client reading its stream needs a small part of, and a
/// client that has stopped reading is cut just before the drain timeout (below).
/// </para>
/// <para>
/// Once the server is stopping, a new stream is refused on its headers with UNAVAILABLE (which clients retry, elsewhere),
/// and never served: one served then ended after the hold had counted its streams out, and the connection could close
/// under it. A refusal is a trailers-only answer, whose status the client reads with the headers, so it needs no grace.
/// </para>
/// <para>
/// A stream whose client has stopped reading cannot end (its last answers wait on HTTP/2 flow control):
/// <see cref="CutMargin"/> before the drain timeout the hold cuts (aborts) the streams still open, logged as one warning with
/// their number, of each kind (below), so that
/// the listener and the host still stop within the drain timeout. Left to the host's own timeout, Kestrel aborted them only at
/// the timeout and then waited up to a second more for the connections, and nothing said why the stop took that long.
/// </para>
/// </summary>
public sealed class RankStreamDrain(IHostApplicationLifetime lifetime, IOptions<RankingOptions> settings, ILogger<RankStreamDrain> logger) : IHostedLifecycleService
{
    /// <summary>
    /// How long, after the last stream's status was sent at shutdown, its client has to read it before the connection closes; and
    /// how long a stream waits, its status sent, for its client to end its side before it ends without it.
    /// </summary>
    public static readonly TimeSpan ReadGrace = TimeSpan.FromSeconds(1);

    /// <summary>How long before the drain timeout the streams still open are cut: the time the listener and the host have left to stop in.</summary>
    public static readonly TimeSpan CutMargin = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _drainTimeout = settings.Value.DrainTimeout;

    /// <summary>The detail of the UNAVAILABLE a stream opened once the server is stopping gets.</summary>
    public const string RefusalDetail = "the server is shutting down and opens no new streams; reconnect to go on";

    // Whether a stream is let in and its counting are one step, as are the hold's start and its count of the open streams:
    // a stream let in just before the stop is counted by the hold, and none is let in after it.
    private readonly Lock _gate = new();
    private readonly HashSet<HttpContext> _open = [];
    // Of those open, the streams that sent every answer and their status and wait (up to the ReadGrace) for their client's side
    // to end: told apart from those whose answers wait on a client that stopped reading, when either kind is cut.
    private readonly HashSet<HttpContext> _endSent = [];
    // When the last stream's status was sent at shutdown (or, for one whose was not, when its handler ended): a Stopwatch
    // timestamp, 0 while none has; the ReadGrace is counted from it.
    private long _lastEndedAtShutdown;
    private readonly TaskCompletionSource _noneOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Serves one RankStream through <paramref name="serve"/>, counted while it is open; once the server is stopping, refuses it
    /// with UNAVAILABLE instead. False when refused (not served).
    /// </summary>
    public async Task<bool> ServeAsync(HttpContext context, Func<HttpContext, Task> serve)
    {
        bool letIn;
        lock (_gate)
        {
            letIn = !lifetime.ApplicationStopping.IsCancellationRequested;
            if (letIn) _open.Add(context);
        }
        if (!letIn)
        {
            TrailersOnlyAnswer.Write(context, StatusCode.Unavailable, RefusalDetail, 0);
            await EndWithoutResetAsync(context);
            return false;
        }
        long? endSentAt = null;
        try
        {
            await serve(context);
            if (lifetime.ApplicationStopping.IsCancellationRequested) endSentAt = await EndWithoutResetAsync(context, EndSent);
        }
        finally
        {
            // Whether the server is stopping is read inside the gate too: a stream that ends as the stop begins is either counted
            // out before the hold counts, or tells the hold it was the last.
            lock (_gate)
            {
                var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
                if (stopping) Volatile.Write(ref _lastEndedAtShutdown, Math.Max(_lastEndedAtShutdown, endSentAt ?? Stopwatch.GetTimestamp()));
                _open.Remove(context);
                _endSent.Remove(context);
                if (_open.Count == 0 && stopping) _noneOpen.TrySetResult();
            }
        }
        return true;
    }

    /// <summary>
    /// Sends the stream's end (its status, END_STREAM) and reads what its client still sends until the client ends or resets
    /// the stream, its answer read, for at most the <see cref="ReadGrace"/>; returns when the end was sent (a Stopwatch
    /// timestamp), or null when it could not be. Left to Kestrel, a stream that ends while its client is still sending is reset
    /// (RST_STREAM NO_ERROR), which the client does not answer, and Kestrel keeps it in the connection's count of streams for
    /// 5 s to drain what is still in flight: at shutdown, clients reopening their streams (each refused) filled that count past
    /// twice the streams a connection may have within a second, and Kestrel then refused every new stream on the connection,
    /// unary calls too, with ENHANCE_YOUR_CALM (RESOURCE_EXHAUSTED). A client's own reset ends the stream at once. One whose
    /// client never ends its side (it keeps the call open, read to its end) is left to Kestrel's reset after the grace, which
    /// HTTP/2 allows once the response is complete and which such a client takes as that, not as a failure: nothing more could
    /// be sent to it, and waiting for it held the drain up to the drain timeout. Only once stopping.
    /// </summary>
    private static async Task<long?> EndWithoutResetAsync(HttpContext context, Action<HttpContext>? endSent = null)
    {
        var body = context.Request.BodyReader;
        long? sentAt = null;
        try
        {
            await context.Response.CompleteAsync();
            sentAt = Stopwatch.GetTimestamp();
            endSent?.Invoke(context);
            using var clientEnd = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            clientEnd.CancelAfter(ReadGrace);
            while (true)
            {
                var read = await body.ReadAsync(clientEnd.Token);
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) return sentAt;
            }
        }
        // The client reset the stream, the connection closed, or the grace passed: the ends this waits for.
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return sentAt;
        }
    }

    private void EndSent(HttpContext context)
    {
        lock (_gate) _endSent.Add(context);
    }

    /// <summary>The RankStreams open now, which a stop waits for.</summary>
    public int OpenStreams
    {
        get
        {
            lock (_gate) return _open.Count;
        }
    }

    /// <summary>
    /// Ends the streams, waits for them and then the <see cref="ReadGrace"/>, or until <paramref name="cancellationToken"/>
    /// (the drain timeout) fires. The host stops Kestrel after this, and fires ApplicationStopping, on which the streams
    /// end, just before: fired here first (it fires once), so a stop that did not start with it (StopAsync) does not wait
    /// for streams that were never told. A signal or Ctrl+C fires it before the stop starts. Streams still open
    /// <see cref="CutMargin"/> before the drain timeout are cut, and said so in one warning.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        lifetime.StopApplication();
        bool anyOpen;
        lock (_gate) anyOpen = _open.Count > 0;
        using var cutAt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cutAt.CancelAfter(_drainTimeout > CutMargin ? _drainTimeout - CutMargin : TimeSpan.Zero);
        try
        {
            if (anyOpen) await _noneOpen.Task.WaitAsync(cutAt.Token);
            if (Volatile.Read(ref _lastEndedAtShutdown) is not 0 and var lastEnded && ReadGrace - Stopwatch.GetElapsedTime(lastEnded) is { Ticks: > 0 } left)
                await Task.Delay(left, cutAt.Token);
        }
        catch (OperationCanceledException) when (cutAt.IsCancellationRequested)
        {
            if (Cut() == 0) return;
            try
            {
                await _noneOpen.Task.WaitAsync(cancellationToken); // an aborted stream's handler ends at once
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>
    /// Aborts the streams still open (the drain timeout is near); returns how many. The warning tells those whose answers wait
    /// on a client that stopped reading them from those that sent everything, status included, within the last
    /// <see cref="ReadGrace"/> and wait for their client's side to close: all were once said to be the first kind. The second
    /// are only those whose status was sent less than the grace before the cut: one whose client never closes its side no
    /// longer holds the drain.
    /// </summary>
    private int Cut()
    {
        HttpContext[] open;
        int endSent;
        lock (_gate)
        {
            open = [.. _open];
            endSent = _endSent.Count;
        }
        if (open.Length == 0) return 0;
        logger.LogWarning(
            "Drain timeout of {DrainSeconds} s: cutting {Streams} RankStreams that had not ended ({Unread} with answers their clients had stopped reading, "
            + "{Unclosed} with every answer and the status sent less than {GraceSeconds} s before, their clients' side not closed yet); their clients see the stream reset",
            _drainTimeout.TotalSeconds, open.Length, open.Length - endSent, endSent, ReadGrace.TotalSeconds);
        foreach (var context in open) context.Abort();
        return open.Length;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
