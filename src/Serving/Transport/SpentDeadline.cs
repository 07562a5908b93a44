using Microsoft.AspNetCore.Http;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// A call whose `grpc-timeout` was spent before it arrived: under one 100-ns tick (`0n`, `99n`, `0m`). Grpc.AspNetCore turns such a
/// timeout into TimeSpan.Zero, which it reads as no deadline at all, and would do the whole call's work for a client that has
/// given up; a timeout of one tick or more is its own to enforce.
/// </summary>
internal static class SpentDeadline
{
    private const string TimeoutHeader = "grpc-timeout";
    private const int MaxDigits = 8; // the gRPC spec's TimeoutValue
    private const long NanosecondsPerTick = 100;

    /// <summary>The call's spent timeout as sent (for the answer's detail), or null when it has none, one of a tick or more, or a malformed one.</summary>
    public static string? Of(HttpContext context) =>
        context.Request.Headers.TryGetValue(TimeoutHeader, out var values) && values.Count == 1 && IsSpent(values[0]) ? values[0] : null;

    /// <summary>Whether a well-formed timeout (1 to 8 digits and a unit: H, M, S, m, u, n) is less than one tick.</summary>
    internal static bool IsSpent(string? timeout)
    {
        if (timeout is not { Length: >= 2 and <= MaxDigits + 1 }) return false;
        long value = 0;
        for (var i = 0; i < timeout.Length - 1; i++)
        {
            if (!char.IsAsciiDigit(timeout[i])) return false;
            value = value * 10 + (timeout[i] - '0');
        }
        return timeout[^1] switch
        {
            'n' => value < NanosecondsPerTick,
            'u' or 'm' or 'S' or 'M' or 'H' => value == 0,
            _ => false,
        };
    }
}
