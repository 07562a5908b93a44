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
    private readonly LogThrottle _throttle;
    private readonly ILogger _log;
    private readonly int _maxConnections;

    public RefusedConnections(IMeterFactory hostMeters, IOptions<RankingOptions> settings, ILogger<RefusedConnections> log, TimeSpan interval)
    {
        _throttle = new LogThrottle(interval);
        _log = log;
        _maxConnections = settings.Value.MaxConnections;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // The meter's name is process-wide: another host in the process (tests start many) refuses its own connections.
            if (instrument.Meter.Name == KestrelMeterName && instrument.Name == RejectedInstrument && ReferenceEquals(instrument.Meter.Scope, hostMeters))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) => Refused());
        _listener.Start();
    }

    private void Refused()
    {
        if (!_throttle.TryTake(out var unlogged)) return;
        if (unlogged == 0)
            _log.LogWarning("Connection refused: --max-connections {MaxConnections} reached on its port (each refusal is counted in kestrel_rejected_connections_total, and logged once a minute at most)",
                _maxConnections);
        else
            _log.LogWarning("Connection refused: --max-connections {MaxConnections} reached on its port ({Unlogged} more refused since the last line)",
                _maxConnections, unlogged);
    }

    public void Dispose() => _listener.Dispose();
}
