using InverseLearning.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// A console log formatter that escapes each entry's text (<see cref="TerminalText"/>) and hands it to the formatter it wraps: a
/// model path, a repository's folder or a client's value in a log line may hold control characters or a bidirectional override,
/// which would reach the terminal raw. The text is escaped, not the console's writer, so the wrapped formatter's own colour codes
/// still colour; and in one place, so that every line is, the framework's among them, not only the ones escaped where they are logged.
/// </summary>
internal sealed class EscapingConsoleFormatter(ConsoleFormatter inner) : ConsoleFormatter(inner.Name)
{
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var format = logEntry.Formatter;
        var exception = logEntry.Exception;
        inner.Write(new LogEntry<TState>(logEntry.LogLevel, logEntry.Category, logEntry.EventId, logEntry.State, exception: null,
            (state, _) => Escaped(format(state, exception), exception)), scopeProvider, textWriter);
    }

    /// <summary>
    /// The message, escaped, then the exception escaped line by line: its text may name a file too, and its stack trace keeps its
    /// lines, as the wrapped formatter lays them out (the single-line layout joins them with spaces).
    /// </summary>
    private static string Escaped(string message, Exception? exception) => exception is null
        ? TerminalText.Safe(message)
        : string.Join(Environment.NewLine, [TerminalText.Safe(message), .. exception.ToString().Split(Environment.NewLine).Select(TerminalText.Safe)]);
}

public static class TerminalLogging
{
    /// <summary>Puts an <see cref="EscapingConsoleFormatter"/> around each console formatter registered so far (the simple one among them).</summary>
    public static ILoggingBuilder EscapeConsoleText(this ILoggingBuilder logging)
    {
        foreach (var formatter in logging.Services.Where(service => service.ServiceType == typeof(ConsoleFormatter) && service.ImplementationType is not null).ToList())
        {
            logging.Services.Remove(formatter);
            logging.Services.AddSingleton<ConsoleFormatter>(services =>
                new EscapingConsoleFormatter((ConsoleFormatter)ActivatorUtilities.CreateInstance(services, formatter.ImplementationType!)));
        }
        return logging;
    }
}
