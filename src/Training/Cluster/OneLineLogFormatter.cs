using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// A silo's console log: one line per entry, an exception told by its type and <see cref="ClusterFailure.Reason"/>. Orleans logs a warning
/// with the whole stack trace for each failed connection attempt to a peer, which an operator reads as a crash. A watchdog stall
/// longer than the process has lived (its first check's false alarm) is not written.
/// </summary>
public sealed class OneLineLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "one-line";

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        if (StallBeforeStart(entry)) return; // nothing written: the console logger writes no line
        var message = FirstLine(entry.Formatter(entry.State, entry.Exception));
        // Told as the command's own error line tells it (a Redis failure by its kind, not the client's advice).
        var exception = entry.Exception is { } e ? $" ({e.GetType().Name}: {ClusterFailure.Reason(e)})" : "";
        textWriter.WriteLine($"{Level(entry.LogLevel)}: {entry.Category}: {message}{exception}");
    }

    // Orleans' watchdog times its first check from a timestamp never set, so every new silo warned that its participant check had
    // not completed for the machine's uptime. A stall longer than this process has lived is that false alarm; a real one is shorter.
    private static bool StallBeforeStart<TState>(in LogEntry<TState> entry) =>
        entry.Category == WatchdogCategory && entry.State is IReadOnlyList<KeyValuePair<string, object?>> values
        && values.Any(v => v is { Key: "TimeSinceLastTick", Value: TimeSpan stalled } && stalled > DateTime.UtcNow - ProcessStarted);

    private const string WatchdogCategory = "Orleans.Runtime.Watchdog";
    private static readonly DateTime ProcessStarted = StartTime();

    private static DateTime StartTime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.StartTime.ToUniversalTime();
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Critical => "crit",
        LogLevel.Error => "fail",
        LogLevel.Warning => "warn",
        LogLevel.Information => "info",
        _ => "dbug",
    };
}
