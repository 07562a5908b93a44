using System.Net;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// How a process finds the cluster: the gateways of its silos ("HOST:PORT,HOST:PORT", a local
/// cluster) or a Redis membership table ("redis://HOST:PORT", where Kubernetes silos register).
/// </summary>
public sealed record ClusterAddress(IReadOnlyList<IPEndPoint> Gateways, string? Redis)
{
    public static ClusterAddress Parse(string text, string flag)
    {
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            var host = text["redis://".Length..];
            return host.Length > 0 ? new ClusterAddress([], host)
                : throw new ArgumentException($"{flag}: '{text}' names no Redis host; expected redis://HOST:PORT");
        }
        var gateways = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
            IPEndPoint.TryParse(part, out var endpoint) && endpoint.Port > 0 ? endpoint
                : throw new ArgumentException($"{flag}: '{part}' is not a gateway address; expected IP:PORT (e.g. 127.0.0.1:30000), a comma-separated list of them, or redis://HOST:PORT")).ToList();
        return gateways.Count > 0 ? new ClusterAddress(gateways, null)
            : throw new ArgumentException($"{flag}: give the silos' gateways (IP:PORT,…) or redis://HOST:PORT");
    }

    /// <summary>A Redis configuration string as messages show it: its HOST:PORT, without the options after it, where a password may be.</summary>
    public static string RedisShown(string redis) => redis.Split(',')[0];

    /// <summary>Where the cluster is, as messages show it.</summary>
    public string Shown => Redis is { } redis ? RedisShown(redis) : string.Join(",", Gateways);
}
