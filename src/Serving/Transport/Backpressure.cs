using System.Globalization;
using Grpc.Core;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// How the server says "full, come back shortly": RESOURCE_EXHAUSTED, a detail saying what is
/// full, and a `retry-after-ms` trailer with the suggested wait (also written in the detail).
/// </summary>
public static class Backpressure
{
    public const string RetryAfterTrailer = "retry-after-ms";

    public static string Detail(string what, int retryAfterMilliseconds) => $"{what}; retry after {retryAfterMilliseconds} ms";

    public static RpcException Refuse(string what, int retryAfterMilliseconds) =>
        new(new Status(StatusCode.ResourceExhausted, Detail(what, retryAfterMilliseconds)),
            new Metadata { { RetryAfterTrailer, retryAfterMilliseconds.ToString(CultureInfo.InvariantCulture) } });
}
