using System.Diagnostics;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using InverseLearning.Serving.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Admission control in front of the Ranker, before gRPC reads a byte of the message: a call
/// over the concurrent-call limit (counted until its answer is written, so clients that never
/// read hold their slot), or a RankStream over the open-stream limit (kept below the call limit, so that streams cannot take every
/// slot), gets RESOURCE_EXHAUSTED with a retry hint; one whose deadline was spent on arrival
/// (<see cref="SpentDeadline"/>), DEADLINE_EXCEEDED; a unary call's message is checked from its
/// length prefix (<see cref="UnaryMessageCheck"/>; a RankStream's messages get the same size check one by one, from
/// <see cref="OrderedStream"/>). Every Ranker call is timed here, by method and the status it ended with (<see cref="CallStatus"/>).
/// </summary>
public sealed class GrpcAdmission(RequestDelegate next, IOptions<RankingOptions> settings, ServingMetrics metrics, CallGauge calls, RankStreamDrain streams)
{
    private readonly RankingOptions _options = settings.Value;

    // RankStreams open now, each also counted in the call slots: capped below them, streams leave slots to unary calls.
    private int _openStreams;

    private const string RankStream = "RankStream";
    private static readonly string RankerService = V1.Ranker.Descriptor.FullName;
    private static readonly HashSet<string> RankerMethods = V1.Ranker.Descriptor.Methods.Select(method => method.Name).ToHashSet(StringComparer.Ordinal);

    // Not async itself: a unary call pays one state machine (AdmitAsync's), as before streams were counted.
    public Task InvokeAsync(HttpContext context)
    {
        if (RankerMethodOf(context) is not { } method) return next(context);
        // A request no gRPC call (another HTTP method, a content type not gRPC's) is HTTP's to answer (404, 415), and no call:
        // counted, it was a server error (UNKNOWN, INTERNAL) of a Ranker method where a client had made the mistake.
        if (!GrpcCall.Is(context.Request)) return next(context);
        return method == RankStream ? ServeRankStreamAsync(context) : AdmitAsync(context, method);
    }

    /// <summary>
    /// The Ranker method routing sent the request to (routing runs before this, <see cref="RankingEndpoints"/>), by its own name;
    /// null for anything else. Told by the endpoint, not the path: routing ignores case and a trailing slash, so a path compared
    /// as written (`/inverselearning.v1.ranker/rank`, `…/Rank/`) let calls that gRPC served pass every limit here uncounted.
    /// gRPC's endpoint for a name that is no method of the service (UNIMPLEMENTED) is not one, and never a metric's label: a
    /// client could otherwise mint a series per name it sends.
    /// </summary>
    private static string? RankerMethodOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method is { } method
        && method.ServiceName == RankerService && RankerMethods.Contains(method.Name) ? method.Name : null;

    private async Task ServeRankStreamAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        // A stream the drain refuses (the server is stopping) is timed here, as AdmitAsync times those it refuses.
        if (!await streams.ServeAsync(context, AdmitRankStreamAsync)) metrics.CallFinished(RankStream, StatusCode.Unavailable, Stopwatch.GetElapsedTime(started));
    }

    private Task AdmitRankStreamAsync(HttpContext context) => AdmitAsync(context, RankStream);

    /// <summary>Counts a RankStream in, unless <see cref="RankingOptions.MaxConcurrentStreams"/> are open already.</summary>
    private bool TryOpenStream()
    {
        if (Interlocked.Increment(ref _openStreams) <= _options.MaxConcurrentStreams) return true;
        Interlocked.Decrement(ref _openStreams);
        return false;
    }

    private void Exhausted(HttpContext context, string method, long started, string what)
    {
        TrailersOnlyAnswer.Write(context, StatusCode.ResourceExhausted, Backpressure.Detail(what, _options.RetryAfterMilliseconds), _options.RetryAfterMilliseconds);
        metrics.CallFinished(method, StatusCode.ResourceExhausted, Stopwatch.GetElapsedTime(started));
    }

    private async Task AdmitAsync(HttpContext context, string method)
    {
        var started = Stopwatch.GetTimestamp();
        if (SpentDeadline.Of(context) is { } spent)
        {
            TrailersOnlyAnswer.Write(context, StatusCode.DeadlineExceeded, $"grpc-timeout {spent} was spent on arrival (under 100 ns); the call was not served", 0);
            metrics.CallFinished(method, StatusCode.DeadlineExceeded, Stopwatch.GetElapsedTime(started));
            return;
        }
        var stream = method == RankStream;
        if (stream && !TryOpenStream())
        {
            Exhausted(context, method, started, $"the server is at its limit of {_options.MaxConcurrentStreams} open RankStreams (--max-concurrent-streams; "
                + "the other call slots are kept for unary calls)");
            return;
        }
        if (!calls.TryEnter(_options.MaxConcurrentCalls))
        {
            if (stream) Interlocked.Decrement(ref _openStreams);
            Exhausted(context, method, started, $"the server is at its limit of {_options.MaxConcurrentCalls} concurrent calls");
            return;
        }
        // The request parsers refuse a message over the candidate limit before they allocate its list (StrictRankerBinding).
        CallLimits.MaxCandidates = _options.MaxCandidates;
        try
        {
            // A stream's messages are checked one by one as it reads them (OrderedStream). Waiting here for its first
            // would keep the call from its handler, which ends a stream at shutdown: an idle one would hold the drain.
            if (stream || !await UnaryMessageCheck.RefusedAsync(context, method, _options)) await next(context);
        }
        finally
        {
            calls.Exit();
            if (stream) Interlocked.Decrement(ref _openStreams);
            var status = CallStatus.Final(context);
            if (status == StatusCode.Internal && UnaryMessageCheck.RefusedLate(context, _options)) status = StatusCode.InvalidArgument;
            // Counted here, not in an interceptor: a call gRPC ends before its handler (a body that does not parse or
            // inflate, a second message) is a call of its method all the same, and so is one refused here, after reading its header.
            metrics.CallFinished(method, status, Stopwatch.GetElapsedTime(started));
        }
    }
}
