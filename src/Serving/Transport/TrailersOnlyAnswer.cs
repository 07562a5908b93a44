using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace InverseLearning.Serving.Transport;

/// <summary>A trailers-only gRPC answer (status in the headers), as a gRPC server sends for a call that fails before any message.</summary>
internal static class TrailersOnlyAnswer
{
    public const string StatusHeader = "grpc-status", MessageHeader = "grpc-message";

    /// <param name="retryAfterMilliseconds">The retry hint a RESOURCE_EXHAUSTED answer carries.</param>
    public static void Write(HttpContext context, StatusCode code, string detail, int retryAfterMilliseconds)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers[StatusHeader] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers[MessageHeader] = PercentEncode(detail);
        if (code == StatusCode.ResourceExhausted)
            response.Headers[Backpressure.RetryAfterTrailer] = retryAfterMilliseconds.ToString(CultureInfo.InvariantCulture);
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
