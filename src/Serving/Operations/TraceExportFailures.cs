using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// The OTLP exporter's warnings and errors (a collector refused, unresolvable or silent), logged: the exporter tells them only
/// to its EventSource, so a dead collector had every span dropped unseen. The first is logged at once, then at most one line
/// per interval with how many came meanwhile, so that a collector that stays down cannot flood the log. The EventSource is
/// the process's: another host in the process (tests start many) has its failures logged here too.
/// </summary>
public sealed class TraceExportFailures(ILogger<TraceExportFailures> log, TimeSpan interval) : EventListener
{
    /// <summary>The name of the OTLP exporter's EventSource.</summary>
    public const string SourceName = "OpenTelemetry-Exporter-OpenTelemetryProtocol";

    // Initialised before the base constructor runs, which already reports the sources that exist to OnEventSourceCreated.
    private readonly ILogger _log = log;
    private readonly LogThrottle _throttle = new(interval);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == SourceName) EnableEvents(eventSource, EventLevel.Warning);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventSource.Name != SourceName || eventData.Level > EventLevel.Warning || !_throttle.TryTake(out var unlogged)) return;
        // One line: an exception in the payload comes with its stack trace.
        var message = eventData.Message is { } format ? string.Format(CultureInfo.InvariantCulture, format, eventData.Payload?.ToArray() ?? []) : eventData.EventName;
        var failure = message?.Split('\n', 2)[0].TrimEnd('\r');
        if (unlogged == 0) _log.LogWarning("Traces not exported: {ExportFailure}", failure);
        else _log.LogWarning("Traces not exported: {ExportFailure} ({Unlogged} more exporter warnings since the last line)", failure, unlogged);
    }
}
