using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Holds the stop of the server's listener until every RankStream's client has read how its stream ended.
/// <para>
/// At shutdown a stream ends (its answers, then UNAVAILABLE) while its client is still sending. .NET's HTTP/2 client keeps
/// such a stream, its request half open, until the caller has read the status; a connection that closes before that fails
/// it, discarding the answers and the status it had not read yet, and gRPC reports the close (HTTP/2 NO_ERROR) as INTERNAL.
/// Kestrel counts a stream done once its status is sent, and a stopping Kestrel closes a connection with no stream left at
/// once, a few milliseconds after that status: the stream ended on ApplicationStopping, just before the host stops Kestrel.
/// </para>
/// <para>
/// So a stream that shutdown ends sends its status and then waits for its client's half to end, which .NET's client does
/// (RST_STREAM CANCEL) once the caller has read the status, instead of being reset by Kestrel (RST_STREAM NO_ERROR, after
/// which the client's end tells the server nothing); and the host's stop waits, before Kestrel's, until no RankStream is
/// open. A client that never reads holds it up to the drain timeout, as it did before.
/// </para>
/// </summary>
public sealed class RankStreamDrain(IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    private int _open;
    private readonly TaskCompletionSource _noneOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Serves one RankStream through <paramref name="serve"/>; at shutdown, until its client has read its end too.</summary>
    public async Task ServeAsync(HttpContext context, Func<HttpContext, Task> serve)
    {
        Interlocked.Increment(ref _open);
        try
        {
            await serve(context);
            if (lifetime.ApplicationStopping.IsCancellationRequested) await LetClientReadEndAsync(context);
        }
        finally
        {
            if (Interlocked.Decrement(ref _open) == 0 && lifetime.ApplicationStopping.IsCancellationRequested) _noneOpen.TrySetResult();
        }
    }

    private static async Task LetClientReadEndAsync(HttpContext context)
    {
        try
        {
            await context.Response.CompleteAsync();
            var body = context.Request.BodyReader;
            while (true)
            {
                var read = await body.ReadAsync(context.RequestAborted);
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) return;
            }
        }
        // The client reset the stream (it has read the status), or the stream was cut (the drain timeout).
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Ends the streams and returns once none is open, or when <paramref name="cancellationToken"/> (the drain timeout)
    /// fires. The host stops Kestrel (its listener and connections) after this, and fires ApplicationStopping, on which the
    /// streams end, just before: fired here first (it fires once), so a stop that did not start with it (StopAsync) waits
    /// for streams that are ending. A signal or Ctrl+C fires it before the stop starts.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        lifetime.StopApplication();
        if (Volatile.Read(ref _open) == 0) return;
        try { await _noneOpen.Task.WaitAsync(cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
