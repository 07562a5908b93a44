using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// How a process finds the cluster: the gateways of its silos ("HOST:PORT,HOST:PORT", a local
/// cluster) or a Redis membership table ("redis://HOST:PORT", where Kubernetes silos register).
/// </summary>
public sealed record ClusterAddress(IReadOnlyList<IPEndPoint> Gateways, string? Redis)
{
    public static ClusterAddress Parse(string text, string flag)
    {
        text = text.Trim();
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            var host = text["redis://".Length..];
            if (host.Length == 0) throw new ArgumentException($"{flag}: '{text}' names no Redis host; expected redis://HOST:PORT");
            return RedisProblem(host, flag) is { } problem ? throw new ArgumentException(problem) : new ClusterAddress([], host);
        }
        var gateways = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
            IPEndPoint.TryParse(part, out var endpoint) && endpoint.Port > 0 ? endpoint
                : throw new ArgumentException($"{flag}: '{GatewayShown(part)}' is not a gateway address; expected IP:PORT (e.g. 127.0.0.1:30000), a comma-separated list of them, or redis://HOST:PORT")).ToList();
        return gateways.Count > 0 ? new ClusterAddress(gateways, null)
            : throw new ArgumentException($"{flag}: give the silos' gateways (IP:PORT,…) or redis://HOST:PORT");
    }

    /// <summary>
    /// A Redis configuration string as messages show it: its endpoints only. Its options (key=value, in any order
    /// among the endpoints) are left out, since a password may be one of them.
    /// </summary>
    public static string RedisShown(string redis)
    {
        var shown = string.Join(',', redis.Split(',').Where(part => !part.Contains('=')).Select(WithoutUserInfo));
        return shown.Length <= 60 ? shown : shown[..60] + "…";
    }

    /// <summary>
    /// A part of a gateway list as a refusal shows it: a Redis address mistyped (rediss://, no scheme) lands here, so a
    /// password in it (user:secret@host, password=…) is masked as in <see cref="RedisShown"/>.
    /// </summary>
    private static string GatewayShown(string part) => part.Contains('=') ? "an option (key=value)" : WithoutUserInfo(part);

    /// <summary>A URL's user and password (user:secret@host:port) masked: a client may take that form.</summary>
    private static string WithoutUserInfo(string part) => part.Contains('@') ? "…@" + part[(part.LastIndexOf('@') + 1)..] : part;

    /// <summary>What is wrong with a Redis configuration string's endpoints (HOST:PORT, options beside them after commas), or null.</summary>
    public static string? RedisProblem(string redis, string flag)
    {
        var endpoints = redis.Split(',', StringSplitOptions.TrimEntries).Where(part => !part.Contains('=')).ToList();
        if (endpoints.Count == 0) return $"{flag}: '{RedisShown(redis)}' names no HOST:PORT (options may follow it after a comma)";
        foreach (var endpoint in endpoints)
        {
            // A name (letters, digits, '.', '-', '_' as in Docker's service names) or an address, IPv6 in brackets.
            var match = Regex.Match(endpoint, @"^(?:[A-Za-z0-9._\-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$");
            if (!match.Success)
                return $"{flag}: '{RedisShown(redis)}' is not HOST:PORT (options may follow it after a comma{(endpoint.Contains('@') ? ", and a password goes in password=…" : "")})";
            if (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is < 1 or > 65535)
                return $"{flag}: '{RedisShown(redis)}' has port {match.Groups[1].Value}, not a port (1..65535)";
        }
        return null;
    }

    /// <summary>Where the cluster is, as messages show it.</summary>
    public string Shown => Redis is { } redis ? RedisShown(redis) : string.Join(",", Gateways);
}
