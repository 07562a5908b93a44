using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// A unary call's message, checked before gRPC reads it: one whose length prefix is over the request-size limit (not buffered),
/// one framed wrong, or a RankBatch holding more requests than a call may (counted in its bytes, <see cref="BatchRequestCount"/>,
/// before they become objects) or bytes that count cannot walk is answered INVALID_ARGUMENT.
/// </summary>
internal static class UnaryMessageCheck
{
    private const string RankBatch = "RankBatch";

    /// <summary>Answers a unary call whose message is refused before gRPC reads it; false for a call to let through.</summary>
    public static async Task<bool> RefusedAsync(HttpContext context, string method, RankingOptions options)
    {
        using var wait = new BodyWait(context);
        try
        {
            return await RefusedAsync(context, method, options, wait);
        }
        catch (OperationCanceledException) when (wait.DeadlineCame && !context.RequestAborted.IsCancellationRequested)
        {
            TrailersOnlyAnswer.Write(context, StatusCode.DeadlineExceeded,
                $"the call's deadline (grpc-timeout {context.Request.Headers["grpc-timeout"]}) came before its message had arrived", 0);
            return true;
        }
    }

    private static async Task<bool> RefusedAsync(HttpContext context, string method, RankingOptions options, BodyWait wait)
    {
        var frame = await GrpcFrames.PeekHeaderAsync(context.Request.BodyReader, wait.Until(GrpcFrames.HeaderLength));
        if (frame is { Length: var length } && length > options.MaxRequestBytes)
        {
            Refuse(context, GrpcFrames.TooLarge(length, options.MaxRequestBytes), options);
            return true;
        }
        // gRPC answers these framing mistakes of the client's with INTERNAL, as if they were the server's. A message still
        // arriving is gRPC's to read: waiting for it here cost Rank's hot path measurably (BENCHMARKS, "admission's framing checks").
        if (frame is { Compressed: true } && !NamesEncoding(context.Request))
        {
            Refuse(context, "the message is flagged compressed, but the call's grpc-encoding names no compression it was made with", options);
            return true;
        }
        if (frame is null)
        {
            // ReadAtLeast gives fewer bytes than a header only when the body has ended.
            Refuse(context, $"the request body ended before a whole message; a unary call takes one, after its {GrpcFrames.HeaderLength}-byte header", options);
            return true;
        }
        if (frame is { UnaryBodyProblem: { } problem })
        {
            Refuse(context, problem, options);
            return true;
        }
        if (method != RankBatch || frame is not { Compressed: false }) return false;
        int requests;
        try
        {
            requests = await BatchRequestCount.PeekAsync(context, (int)frame.Value.Length, options.MaxCandidates, wait.Until(GrpcFrames.HeaderLength + (int)frame.Value.Length));
        }
        catch (MalformedMessageException e)
        {
            Refuse(context, MalformedMessageException.Detail(nameof(V1.RankBatchRequest), e.Message), options);
            return true;
        }
        // Every request needs a candidate, and a call holds at most MaxCandidates in all.
        if (requests > options.MaxCandidates)
        {
            Refuse(context,
                $"the batch has more than {options.MaxCandidates} requests, and a call holds at most {options.MaxCandidates} candidates in all (one each at least); split the batch", options);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Answers, as the check above words it, a unary body framed wrong in a way the check could not see when it peeked (a second
    /// message, or the body's end, came after its look), which gRPC answers with INTERNAL as if it were the server's fault; false
    /// for any other failure. Looked at only once a call has failed, and only while its trailers-only answer can still be
    /// rewritten: waiting for the whole body before letting a call through cost Rank measurably (BENCHMARKS, "admission's framing checks").
    /// </summary>
    public static bool RefusedLate(HttpContext context, RankingOptions options)
    {
        if (context.Response.HasStarted) return false;
        var mistake = context.Response.Headers[TrailersOnlyAnswer.MessageHeader].ToString() switch
        {
            // Grpc.AspNetCore's own words for these (a test pins them).
            "Additional data after the message received." => GrpcFrames.MoreThanOneMessage,
            GrpcFrames.GrpcIncompleteMessage => GrpcFrames.EndedInsideMessage,
            _ => null,
        };
        if (mistake is null) return false;
        Refuse(context, mistake, options);
        return true;
    }

    /// <summary>
    /// How long the check waits for the body: until the client goes away, and no later than the call's grpc-timeout. gRPC keeps
    /// the deadline only once it has the call; a client that sent headers and no body (or a RankBatch cut short) held its
    /// slot until its body closed, however long after its deadline. The timer is made only when the bytes are not already
    /// here, as they are for nearly every call: Rank's hot path stays as it was (BENCHMARKS, "admission's framing checks").
    /// </summary>
    private sealed class BodyWait(HttpContext context) : IDisposable
    {
        // CancelAfter takes no more than about 49 days; a longer timeout is left to gRPC, as every one was.
        private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue);
        private CancellationTokenSource? _deadline;

        public bool DeadlineCame => _deadline is { IsCancellationRequested: true };

        /// <summary>The token to wait with for <paramref name="bytes"/> bytes of body.</summary>
        public CancellationToken Until(int bytes)
        {
            if (_deadline is not null) return _deadline.Token;
            if (GrpcFrames.Arrived(context.Request.BodyReader, bytes)) return context.RequestAborted;
            if (CallTimeout.Of(context.Request) is not { } timeout || timeout > Longest) return context.RequestAborted;
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            _deadline.CancelAfter(timeout);
            return _deadline.Token;
        }

        public void Dispose() => _deadline?.Dispose();
    }

    private static void Refuse(HttpContext context, string detail, RankingOptions options) =>
        TrailersOnlyAnswer.Write(context, StatusCode.InvalidArgument, detail, options.RetryAfterMilliseconds);

    private static bool NamesEncoding(HttpRequest request) =>
        request.Headers["grpc-encoding"].ToString() is { Length: > 0 } encoding && encoding != "identity";
}
