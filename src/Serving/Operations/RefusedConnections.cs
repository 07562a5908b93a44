using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Connections Kestrel refused at <see cref="RankingOptions.MaxConnections"/>, told in the log from its own count of them (its meter's
/// <see cref="RejectedInstrument"/>, which /metrics exports): the first at once, then at most one line per interval with how many more
/// came meanwhile. Kestrel's own line per refusal is turned down (<see cref="LogLevelDefaults"/>): a reconnect storm wrote one each.
/// </summary>
public sealed class RefusedConnections : IDisposable
{
    /// <summary>Kestrel's meter, made through the host's meter factory.</summary>
    public const string KestrelMeterName = "Microsoft.AspNetCore.Server.Kestrel";

    /// <summary>Kestrel's counter of the connections it refused at its limit.</summary>
    public const string RejectedInstrument = "kestrel.rejected_connections";

    private readonly MeterListener _listener = new();
    // One throttle per port: the gRPC and admin ports each have --max-connections, and a line must say which one is flooded.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LogThrottle> _throttles = new();
    private readonly TimeSpan _interval;
    private readonly ILogger _log;
    private readonly int _maxConnections;

    public RefusedConnections(IMeterFactory hostMeters, IOptions<RankingOptions> settings, ILogger<RefusedConnections> log, TimeSpan interval)
    {
        _interval = interval;
        _log = log;
        _maxConnections = settings.Value.MaxConnections;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // The meter's name is process-wide: another host in the process (tests start many) refuses its own connections.
            if (instrument.Meter.Name == KestrelMeterName && instrument.Name == RejectedInstrument && ReferenceEquals(instrument.Meter.Scope, hostMeters))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => Refused(PortOf(tags)));
        _listener.Start();
    }

    private void Refused(string port)
    {
        if (!_throttles.GetOrAdd(port, _ => new LogThrottle(_interval)).TryTake(out var unlogged)) return;
        if (unlogged == 0)
            _log.LogWarning("Connection refused on port {Port}: --max-connections {MaxConnections} reached (each refusal is counted in kestrel_rejected_connections_total, " +
                "and logged once a minute at most per port)", port, _maxConnections);
        else
            _log.LogWarning("Connection refused on port {Port}: --max-connections {MaxConnections} reached ({Unlogged} more refused on it since its last line)",
                port, _maxConnections, unlogged);
    }

    /// <summary>The refused connection's port, from Kestrel's tags on the measurement (as /metrics labels it).</summary>
    private static string PortOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var (key, value) in tags)
            if (key == "server.port") return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?";
        return "?";
    }

    public void Dispose() => _listener.Dispose();
}
