using InverseLearning.Serving.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace InverseLearning.Serving.Tests;

/// <summary>The console log as the server writes it: control and bidirectional characters escaped, the exception's as the message's.</summary>
public sealed class EscapingConsoleFormatterTests
{
    [Fact]
    public void A_logged_exceptions_lines_are_escaped_as_its_message_is()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole(o => { o.SingleLine = true; o.ColorBehavior = LoggerColorBehavior.Disabled; }).EscapeConsoleText());
        using var provider = services.BuildServiceProvider();
        var formatter = provider.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Simple);
        using var text = new StringWriter();

        var exception = new InvalidOperationException("model \u001b[31mred\u202Eevil");
        formatter.Write(new LogEntry<string>(LogLevel.Error, "test", default, "loading m\u001b[2J", exception, (state, _) => state), null, text);

        var written = text.ToString();
        Assert.DoesNotContain('\u001b', written);
        Assert.DoesNotContain('\u202E', written);
        Assert.Contains(@"loading m\u001B[2J", written);
        Assert.Contains(@"model \u001B[31mred\u202Eevil", written);
    }
}
