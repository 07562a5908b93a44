using System.Globalization;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace InverseLearning.Serving.Transport;

/// <summary>The status a call ended with, as the call metrics record it.</summary>
public static class CallStatus
{
    /// <summary>
    /// The status gRPC ended the call with: in its trailers, or in the headers of a trailers-only answer. A call whose client
    /// went away before it was answered has none written: DEADLINE_EXCEEDED when its deadline had come (<see cref="CallDeadline"/>,
    /// as the service told the client), CANCELLED before it.
    /// </summary>
    public static StatusCode Final(HttpContext context)
    {
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var written = trailers is not null && trailers.TryGetValue(TrailersOnlyAnswer.StatusHeader, out var inTrailers) ? inTrailers : context.Response.Headers[TrailersOnlyAnswer.StatusHeader];
        if (int.TryParse(written.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return (StatusCode)code;
        if (!context.RequestAborted.IsCancellationRequested) return StatusCode.Unknown;
        // gRPC's own reading of the call's grpc-timeout; absent when the call ended before gRPC took it up.
        var deadline = context.Features.Get<IServerCallContextFeature>()?.ServerCallContext.Deadline ?? DateTime.MaxValue;
        return CallDeadline.Reached(deadline, CallTimeout.Of(context.Request)) ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;
    }
}
