using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Core;
using InverseLearning.Serving.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Admission control in front of the Ranker, before gRPC reads a byte of the message: a call
/// over the concurrent-call limit (counted until its answer is written, so clients that never
/// read hold their slot) gets RESOURCE_EXHAUSTED with a retry hint; a unary call's message whose length
/// prefix is over the request-size limit gets INVALID_ARGUMENT, without being buffered (a RankStream's
/// messages get the same check one by one, from <see cref="OrderedStream"/>). A
/// RankBatch's requests are counted in its bytes (<see cref="RequestScan"/>) before gRPC
/// parses them: more than a call may hold is refused before they become objects. Every Ranker call is timed here, by
/// method and the status it ended with.
/// </summary>
public sealed class GrpcAdmission(RequestDelegate next, IOptions<RankingOptions> settings, ServingMetrics metrics, CallGauge calls)
{
    private readonly RankingOptions _options = settings.Value;

    private const string RankerPrefix = "/inverselearning.v1.Ranker/";
    private const string RankBatch = "RankBatch";
    private const string RankStream = "RankStream";
    private const string GrpcStatus = "grpc-status";
    private static readonly HashSet<string> RankerMethods = V1.Ranker.Descriptor.Methods.Select(method => method.Name).ToHashSet(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(RankerPrefix, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }
        var method = path[RankerPrefix.Length..];
        // A name that is no method of the service is gRPC's to answer (UNIMPLEMENTED), and never a metric's label: a client
        // could otherwise mint a series per name it sends.
        if (!RankerMethods.Contains(method))
        {
            await next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        if (!calls.TryEnter(_options.MaxConcurrentCalls))
        {
            Refuse(context, StatusCode.ResourceExhausted,
                Backpressure.Detail($"the server is at its limit of {_options.MaxConcurrentCalls} concurrent calls", _options.RetryAfterMilliseconds));
            metrics.CallFinished(method, StatusCode.ResourceExhausted, Stopwatch.GetElapsedTime(started));
            return;
        }
        try
        {
            if (!await RefusedAsync(context, method)) await next(context);
        }
        finally
        {
            calls.Exit();
            var status = FinalStatus(context);
            if (status == StatusCode.Internal && LateFramingMistake(context) is { } mistake)
            {
                Refuse(context, StatusCode.InvalidArgument, mistake);
                status = StatusCode.InvalidArgument;
            }
            // Counted here, not in an interceptor: a call gRPC ends before its handler (a body that does not parse or
            // inflate, a second message) is a call of its method all the same, and so is one refused here, after reading its header.
            metrics.CallFinished(method, status, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// A unary body framed wrong in a way the admission could not see when it peeked (a second message, or the body's end, came
    /// after its look), which gRPC answers with INTERNAL as if it were the server's fault: the client's mistake, worded as the
    /// admission words it; null for any other failure. Looked at only once a call has failed, and only while its trailers-only
    /// answer can still be rewritten: waiting for the whole body before letting a call through cost Rank measurably
    /// (BENCHMARKS, "admission's framing checks").
    /// </summary>
    private static string? LateFramingMistake(HttpContext context) => context.Response.HasStarted ? null : context.Response.Headers["grpc-message"].ToString() switch
    {
        // Grpc.AspNetCore's own words for these (a test pins them).
        "Additional data after the message received." => GrpcFrames.MoreThanOneMessage,
        GrpcFrames.GrpcIncompleteMessage => GrpcFrames.EndedInsideMessage,
        _ => null,
    };

    /// <summary>Answers a unary call whose message is refused before gRPC reads it; false for a call to let through.</summary>
    private async Task<bool> RefusedAsync(HttpContext context, string method)
    {
        // A stream's messages are checked one by one as it reads them (OrderedStream). Waiting here for its first
        // would keep the call from its handler, which ends a stream at shutdown: an idle one would hold the drain.
        if (method == RankStream) return false;
        var frame = await GrpcFrames.PeekHeaderAsync(context.Request.BodyReader, context.RequestAborted);
        if (frame is { Length: var length } && length > _options.MaxRequestBytes)
        {
            Refuse(context, StatusCode.InvalidArgument, GrpcFrames.TooLarge(length, _options.MaxRequestBytes));
            return true;
        }
        // gRPC answers these framing mistakes of the client's with INTERNAL, as if they were the server's. A message still
        // arriving is gRPC's to read: waiting for it here cost Rank's hot path measurably (BENCHMARKS, "admission's framing checks").
        if (frame is { Compressed: true } && !NamesEncoding(context.Request))
        {
            Refuse(context, StatusCode.InvalidArgument, "the message is flagged compressed, but the call's grpc-encoding names no compression it was made with");
            return true;
        }
        if (frame is null)
        {
            // ReadAtLeast gives fewer bytes than a header only when the body has ended.
            Refuse(context, StatusCode.InvalidArgument, $"the request body ended before a whole message; a unary call takes one, after its {GrpcFrames.HeaderLength}-byte header");
            return true;
        }
        if (frame is { UnaryBodyProblem: { } problem })
        {
            Refuse(context, StatusCode.InvalidArgument, problem);
            return true;
        }
        // Every request needs a candidate, and a call holds at most MaxCandidates in all.
        if (method == RankBatch && frame is { Compressed: false } && await BatchRequestCountAsync(context, (int)frame.Value.Length, _options.MaxCandidates) > _options.MaxCandidates)
        {
            Refuse(context, StatusCode.InvalidArgument,
                $"requests holds more than {_options.MaxCandidates} requests, and a call holds at most {_options.MaxCandidates} candidates in all (one each at least); split the batch");
            return true;
        }
        return false;
    }

    private static bool NamesEncoding(HttpRequest request) =>
        request.Headers["grpc-encoding"].ToString() is { Length: > 0 } encoding && encoding != "identity";

    /// <summary>
    /// The status gRPC ended the call with: in its trailers, or in the headers of a trailers-only answer; a call whose client
    /// went away before it was answered is CANCELLED.
    /// </summary>
    private static StatusCode FinalStatus(HttpContext context)
    {
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var written = trailers is not null && trailers.TryGetValue(GrpcStatus, out var inTrailers) ? inTrailers : context.Response.Headers[GrpcStatus];
        return int.TryParse(written.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (StatusCode)code
            : context.RequestAborted.IsCancellationRequested ? StatusCode.Cancelled : StatusCode.Unknown;
    }

    /// <summary>
    /// The requests in the call's first message (uncompressed, <paramref name="length"/> bytes, at most the
    /// request-size limit: that check came first), counted no further than one past <paramref name="limit"/>
    /// and left unread for gRPC. A compressed message is not counted: gRPC's own size limit covers what it inflates to.
    /// </summary>
    private static async Task<int> BatchRequestCountAsync(HttpContext context, int length, int limit)
    {
        var reader = context.Request.BodyReader;
        var result = await reader.ReadAtLeastAsync(GrpcFrames.HeaderLength + length, context.RequestAborted);
        var count = result.Buffer.Length >= GrpcFrames.HeaderLength + length ? RequestScan.CountRequests(result.Buffer.Slice(GrpcFrames.HeaderLength, length), limit) : 0;
        reader.AdvanceTo(result.Buffer.Start);
        return count;
    }

    /// <summary>A trailers-only gRPC answer (status in the headers), as a gRPC server sends for a call that fails before any message.</summary>
    private void Refuse(HttpContext context, StatusCode code, string detail)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers[GrpcStatus] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(detail);
        if (code == StatusCode.ResourceExhausted)
            response.Headers[Backpressure.RetryAfterTrailer] = _options.RetryAfterMilliseconds.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>grpc-message is percent-encoded: bytes outside printable ASCII, and '%', as %XX of their UTF-8.</summary>
    private static string PercentEncode(string text)
    {
        var encoded = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%') encoded.Append((char)b);
            else encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
        }
        return encoded.ToString();
    }
}
