using Microsoft.AspNetCore.Http;

namespace InverseLearning.Serving.Transport;

/// <summary>A call's `grpc-timeout` header (1 to 8 digits and a unit: H, M, S, m, u, n), read as a span of time.</summary>
internal static class CallTimeout
{
    private const string Header = "grpc-timeout";
    private const int MaxDigits = 8; // the gRPC spec's TimeoutValue

    /// <summary>The call's timeout, or null when it sent none, or one malformed (gRPC's own reading then decides).</summary>
    public static TimeSpan? Of(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var values) && values.Count == 1 ? Parse(values[0]) : null;

    /// <summary>A well-formed timeout as a span of time; null for anything else.</summary>
    internal static TimeSpan? Parse(string? timeout)
    {
        if (timeout is not { Length: >= 2 and <= MaxDigits + 1 }) return null;
        long value = 0;
        for (var i = 0; i < timeout.Length - 1; i++)
        {
            if (!char.IsAsciiDigit(timeout[i])) return null;
            value = value * 10 + (timeout[i] - '0');
        }
        // 99999999 hours is within TimeSpan's range (about 29 000 years).
        return timeout[^1] switch
        {
            'n' => TimeSpan.FromTicks(value / 100),
            'u' => TimeSpan.FromTicks(value * 10),
            'm' => TimeSpan.FromMilliseconds(value),
            'S' => TimeSpan.FromSeconds(value),
            'M' => TimeSpan.FromMinutes(value),
            'H' => TimeSpan.FromHours(value),
            _ => null,
        };
    }
}
