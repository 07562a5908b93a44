using InverseLearning.Training.Cluster;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InverseLearning.Training.Tests.Cluster;

public class OneLineLogFormatterTests
{
    private static string Format(LogLevel level, string message, Exception? exception)
    {
        var writer = new StringWriter();
        new OneLineLogFormatter().Write(new LogEntry<string>(level, "Orleans.Runtime.Messaging.ConnectionManager", new EventId(1), message, exception, (m, _) => m), null, writer);
        return writer.ToString();
    }

    [Fact]
    public void An_entry_with_an_exception_is_one_line_naming_it_without_its_stack_trace()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("Connection terminated prematurely\nsecond line");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }
        Assert.NotNull(thrown.StackTrace);

        var line = Format(LogLevel.Warning, "Connection attempt to endpoint S127.0.0.1:12777:0 failed", thrown);

        Assert.Equal("warn: Orleans.Runtime.Messaging.ConnectionManager: Connection attempt to endpoint S127.0.0.1:12777:0 failed (InvalidOperationException: Connection terminated prematurely)"
            + Environment.NewLine, line);
    }

    [Fact]
    public void A_redis_failure_is_told_by_its_kind_not_the_clients_advice() =>
        Assert.Equal("fail: Orleans.Runtime.Messaging.ConnectionManager: Membership failed to start (RedisConnectionException: Redis did not answer)" + Environment.NewLine,
            Format(LogLevel.Error, "Membership failed to start", new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.UnableToConnect,
                "It was not possible to connect to the redis server(s). To allow this multiplexer to continue retrying, use abortConnect=false")));

    [Theory]
    [InlineData(LogLevel.Error, "fail: ")]
    [InlineData(LogLevel.Critical, "crit: ")]
    public void A_message_of_several_lines_keeps_its_first_and_its_level(LogLevel level, string prefix) =>
        Assert.Equal($"{prefix}Orleans.Runtime.Messaging.ConnectionManager: first" + Environment.NewLine, Format(level, "first\r\nsecond", null));

    private static TimeSpan Lived()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return DateTime.Now - process.StartTime;
    }

    private static string Stall(TimeSpan stalled, string category = "Orleans.Runtime.Watchdog")
    {
        List<KeyValuePair<string, object?>> state = [new("TimeSinceLastTick", stalled)];
        var writer = new StringWriter();
        new OneLineLogFormatter().Write(new LogEntry<List<KeyValuePair<string, object?>>>(LogLevel.Warning, category, new EventId(1),
            state, null, (_, _) => $"Participant check thread has not completed for {stalled:hh\\:mm\\:ss}, potentially indicating lock contention"), null, writer);
        return writer.ToString();
    }

    [Fact]
    public void A_watchdog_stall_longer_than_the_process_has_lived_is_not_written_a_real_one_is()
    {
        var lived = Lived();
        // The machine's uptime, at a new silo's first check: more than this process has lived.
        Assert.Equal("", Stall(lived + TimeSpan.FromHours(8)));
        var real = TimeSpan.FromSeconds(Math.Floor(lived.TotalSeconds / 2));
        Assert.StartsWith($"warn: Orleans.Runtime.Watchdog: Participant check thread has not completed for {real:hh\\:mm\\:ss}", Stall(real));
    }

    [Fact]
    public void Another_categorys_entry_with_a_stall_longer_than_the_process_has_lived_is_written()
    {
        // Only the watchdog's first check is the false alarm; another logger's value of that name is its own news.
        var lived = Lived();
        Assert.StartsWith("warn: Orleans.Runtime.Catalog: Participant check thread has not completed for ", Stall(lived + TimeSpan.FromHours(8), "Orleans.Runtime.Catalog"));
    }
}
