using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace InverseLearning.Serving.Transport;

/// <summary>The status a call ended with, as the call metrics record it.</summary>
internal static class CallStatus
{
    /// <summary>
    /// The status gRPC ended the call with: in its trailers, or in the headers of a trailers-only answer; a call whose client
    /// went away before it was answered is CANCELLED.
    /// </summary>
    public static StatusCode Final(HttpContext context)
    {
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var written = trailers is not null && trailers.TryGetValue(TrailersOnlyAnswer.StatusHeader, out var inTrailers) ? inTrailers : context.Response.Headers[TrailersOnlyAnswer.StatusHeader];
        return int.TryParse(written.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (StatusCode)code
            : context.RequestAborted.IsCancellationRequested ? StatusCode.Cancelled : StatusCode.Unknown;
    }
}
