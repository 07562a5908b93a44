using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Holds the stop of the server's listener until every RankStream has ended, and then for <see cref="ReadGrace"/>, so that
/// each stream's client reads how its stream ended before the connection closes under it.
/// <para>
/// At shutdown a stream ends (its answers, UNAVAILABLE, then Kestrel's RST_STREAM NO_ERROR: "stop sending") while its
/// client is still sending. .NET's HTTP/2 client keeps such a stream, its request half open, until the caller has read the
/// status; a connection that closes before that fails it, discarding the answers and the status it had not read yet, and
/// gRPC reports the close (HTTP/2 NO_ERROR) as INTERNAL. A stopping Kestrel closes a connection as soon as it has no stream
/// whose status is still to be sent: a few milliseconds after the streams ended on ApplicationStopping, which fires just
/// before the host stops Kestrel. Nothing tells the server when the caller has read (after the reset the client sends
/// nothing more on the stream), so the stop waits a grace that a client reading its stream needs a small part of, and a
/// client that has stopped reading is cut at the drain timeout, as before.
/// </para>
/// </summary>
public sealed class RankStreamDrain(IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    /// <summary>How long, after the last stream ended at shutdown, its client has to read the end before the connection closes.</summary>
    public static readonly TimeSpan ReadGrace = TimeSpan.FromSeconds(1);

    private int _open;
    private long _lastEndedAtShutdown; // a Stopwatch timestamp; 0 while none has
    private readonly TaskCompletionSource _noneOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Serves one RankStream through <paramref name="serve"/>, counted while it is open.</summary>
    public async Task ServeAsync(HttpContext context, Func<HttpContext, Task> serve)
    {
        Interlocked.Increment(ref _open);
        try
        {
            await serve(context);
        }
        finally
        {
            var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
            if (stopping) Volatile.Write(ref _lastEndedAtShutdown, Stopwatch.GetTimestamp());
            if (Interlocked.Decrement(ref _open) == 0 && stopping) _noneOpen.TrySetResult();
        }
    }

    /// <summary>
    /// Ends the streams, waits for them and then the <see cref="ReadGrace"/>, or until <paramref name="cancellationToken"/>
    /// (the drain timeout) fires. The host stops Kestrel after this, and fires ApplicationStopping, on which the streams
    /// end, just before: fired here first (it fires once), so a stop that did not start with it (StopAsync) does not wait
    /// for streams that were never told. A signal or Ctrl+C fires it before the stop starts.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        lifetime.StopApplication();
        try
        {
            if (Volatile.Read(ref _open) > 0) await _noneOpen.Task.WaitAsync(cancellationToken);
            if (Volatile.Read(ref _lastEndedAtShutdown) is not 0 and var lastEnded && ReadGrace - Stopwatch.GetElapsedTime(lastEnded) is { Ticks: > 0 } left)
                await Task.Delay(left, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
