using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using Grpc.Core;
using InverseLearning.Serving.Operations;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Serves one bidirectional stream as a pipeline: each request is started as soon as it is read
/// (so its scoring joins the batcher's runs, with other streams' requests, while earlier answers
/// are still being written) and the answers are written in request order. At most
/// <c>window</c> requests are read and not yet answered: when the client stops reading, the
/// awaited write stalls, the window fills, reading stops, and HTTP/2 flow control holds the
/// client back. Each request also reserves its answer's largest size against the stream's <see cref="AnswerBudget"/> before
/// it is started, so that large answers stop the reading sooner: what a stream holds is bounded in bytes too, not only in messages.
/// A request that fails (a bad message, its scoring refused) ends the stream after the answers
/// before it, with its own status and "message N: " in front of the detail. A message over the
/// size limit is read past unparsed, so the client's write of it completes and it reads those
/// answers, then the error (a stream reset in mid-write shows a client only CANCELLED). When the server
/// stops, or the client sends no message for the idle timeout, reading stops and the requests already read are answered before
/// the stream ends.
/// Public so that its tests can drive it with a writer that fails as gRPC's does.
/// </summary>
public static class OrderedStream
{
    /// <param name="answerBudget">Most bytes of answers the stream may hold at once (<see cref="AnswerBudget"/>).</param>
    /// <param name="answerBytes">The largest size a request's answer can have, known before it is started.</param>
    /// <param name="start">Checks a request (throwing <see cref="RpcException"/> at once when it is bad) and starts its answer.</param>
    /// <param name="body">The request body, whose frame headers are checked against <paramref name="maxRequestBytes"/> before gRPC reads a message.</param>
    /// <param name="maxRequestBytes">The largest message accepted (gRPC enforces it too, on what a compressed message inflates to).</param>
    /// <param name="idleTimeout">How long to wait for the client's next message before reading stops (<see cref="StreamEnd.Idle"/>); zero waits for ever.</param>
    /// <param name="stopReading">Fires when the server stops: no more requests are read, those read are still answered.</param>
    /// <returns>Why reading stopped, those requests read all answered.</returns>
    public static async Task<StreamEnd> RunAsync<TRequest, TResponse>(IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, int window, long answerBudget,
        Func<TRequest, long> answerBytes, PipeReader body, int maxRequestBytes, TimeSpan idleTimeout, Func<TRequest, CancellationToken, Task<TResponse>> start, ServingMetrics metrics,
        CancellationToken stopReading, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var room = new SemaphoreSlim(window, window);
        var budget = new AnswerBudget(answerBudget);
        var pending = Channel.CreateUnbounded<Pending<TResponse>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var reading = ReadAsync(requests, body, maxRequestBytes, idleTimeout, start, room, budget, answerBytes, pending.Writer, metrics, stopReading, stop.Token);
        try
        {
            await foreach (var next in pending.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var answered = false;
                try
                {
                    TResponse response;
                    try
                    {
                        response = await next.Answer.ConfigureAwait(false);
                    }
                    catch (RpcException e)
                    {
                        throw new RpcException(new Status(e.StatusCode, $"message {next.Index}: {e.Status.Detail}"), e.Trailers);
                    }
                    try
                    {
                        await responses.WriteAsync(response, stop.Token).ConfigureAwait(false);
                    }
                    catch (InvalidOperationException)
                    {
                        // gRPC refuses a write once the call is complete: the client reset the stream or its deadline passed, and
                        // the cancellation that says so may not have fired yet. Our writes are one at a time, so it means no more.
                        return StreamEnd.CallEnded;
                    }
                    answered = true;
                }
                finally
                {
                    budget.Release(next.AnswerBytes);
                    metrics.StreamMessageDone(answered ? Stopwatch.GetElapsedTime(next.ReadAt) : null);
                }
                room.Release();
            }
            return await reading.ConfigureAwait(false);
        }
        finally
        {
            stop.Cancel();
            await reading.ConfigureAwait(false);
            while (pending.Reader.TryRead(out _)) metrics.StreamMessageDone(null);
        }
    }

    /// <summary>Reads while the window has room; a read or check that fails is queued as that message's answer, and reading stops.</summary>
    /// <returns>Why the reading ended.</returns>
    private static async Task<StreamEnd> ReadAsync<TRequest, TResponse>(IAsyncStreamReader<TRequest> requests, PipeReader body, int maxRequestBytes, TimeSpan idleTimeout,
        Func<TRequest, CancellationToken, Task<TResponse>> start, SemaphoreSlim room, AnswerBudget budget, Func<TRequest, long> answerBytes, ChannelWriter<Pending<TResponse>> pending,
        ServingMetrics metrics, CancellationToken stopReading, CancellationToken stop)
    {
        using var read = CancellationTokenSource.CreateLinkedTokenSource(stop, stopReading);
        try
        {
            for (var index = 0; ; index++)
            {
                await room.WaitAsync(read.Token).ConfigureAwait(false);
                Task<TResponse> answer;
                long readAt, reserved = 0;
                try
                {
                    var (idle, header) = await PeekHeaderAsync(body, idleTimeout, read.Token).ConfigureAwait(false);
                    if (idle) return StreamEnd.Idle;
                    if (header is { Length: var length } && length > maxRequestBytes)
                    {
                        await GrpcFrames.SkipAsync(body, length, read.Token).ConfigureAwait(false);
                        readAt = Stopwatch.GetTimestamp();
                        answer = Task.FromException<TResponse>(new RpcException(new Status(StatusCode.InvalidArgument, GrpcFrames.TooLarge(length, maxRequestBytes))));
                    }
                    else
                    {
                        if (!await requests.MoveNext(read.Token).ConfigureAwait(false)) return StreamEnd.ClientEnded;
                        readAt = Stopwatch.GetTimestamp();
                        var request = requests.Current;
                        var largest = answerBytes(request);
                        // On the stream's own token, not the reading's: a request read is answered, the server stopping or not.
                        await budget.ReserveAsync(largest, stop).ConfigureAwait(false);
                        reserved = largest; // given back once written; nothing when the wait above was cancelled
                        answer = start(request, stop);
                    }
                }
                catch (OperationCanceledException) when (stopReading.IsCancellationRequested && !stop.IsCancellationRequested)
                {
                    return StreamEnd.ServerStopping;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Internal && e.Status.Detail == GrpcFrames.GrpcIncompleteMessage)
                {
                    // gRPC's INTERNAL for a body that ended inside a message, as the admission rewrites it for unary calls. Caught
                    // here, where the read failed, so a message that arrives whole pays nothing for it.
                    readAt = Stopwatch.GetTimestamp();
                    answer = Task.FromException<TResponse>(new RpcException(new Status(StatusCode.InvalidArgument, GrpcFrames.EndedInsideMessage)));
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    // gRPC's own check of the size a compressed message inflates to: the client's error too.
                    readAt = Stopwatch.GetTimestamp();
                    answer = Task.FromException<TResponse>(new RpcException(new Status(StatusCode.InvalidArgument,
                        $"the message is over the limit of {maxRequestBytes} bytes ({e.Status.Detail}); split it into smaller requests")));
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    readAt = Stopwatch.GetTimestamp();
                    answer = Task.FromException<TResponse>(e);
                }
                metrics.StreamMessageRead();
                pending.TryWrite(new Pending<TResponse>(index, readAt, answer, reserved));
                if (answer.IsFaulted) return StreamEnd.ClientEnded;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return StreamEnd.ClientEnded; // the writer stopped (the stream ended or failed): nothing more to read
        }
        catch (OperationCanceledException) when (stopReading.IsCancellationRequested)
        {
            return StreamEnd.ServerStopping;
        }
        finally
        {
            pending.TryComplete();
        }
    }

    /// <summary>
    /// The next message's frame header, as <see cref="GrpcFrames.PeekHeaderAsync"/> peeks it, or Idle when
    /// <paramref name="idleTimeout"/> passed first. The timer is made only when the header has not arrived already, so a client
    /// that keeps its stream busy pays nothing for it.
    /// </summary>
    private static async Task<(bool Idle, GrpcFrames.Header? Header)> PeekHeaderAsync(PipeReader body, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        if (idleTimeout <= TimeSpan.Zero || GrpcFrames.Arrived(body, GrpcFrames.HeaderLength))
            return (false, await GrpcFrames.PeekHeaderAsync(body, cancellationToken).ConfigureAwait(false));
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout);
        try
        {
            return (false, await GrpcFrames.PeekHeaderAsync(body, idle.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (true, null);
        }
    }

    /// <param name="AnswerBytes">What the request holds of the stream's <see cref="AnswerBudget"/> until its answer is written.</param>
    private readonly record struct Pending<TResponse>(int Index, long ReadAt, Task<TResponse> Answer, long AnswerBytes);
}

/// <summary>Why a stream's reading stopped (<see cref="OrderedStream"/>), the requests it had read all answered.</summary>
public enum StreamEnd
{
    /// <summary>The client ended its requests (or the stream failed, its status already set).</summary>
    ClientEnded,

    /// <summary>The server is stopping.</summary>
    ServerStopping,

    /// <summary>The client sent no message for the idle timeout.</summary>
    Idle,

    /// <summary>The call was complete (the client reset the stream, or its deadline passed) before an answer could be written.</summary>
    CallEnded,
}
