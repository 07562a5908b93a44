using InverseLearning.Training.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace InverseLearning.Training.Tests.Cluster;

public class ShardSiloTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void A_silo_writes_its_warnings_to_the_console_only_when_it_is_a_process_of_its_own(bool consoleLog, int consoleLoggers)
    {
        var state = Path.Combine(Path.GetTempPath(), "il-silo-log-" + Guid.NewGuid().ToString("N"));
        var (siloPort, gatewayPort) = LocalCluster.FreePorts();
        try
        {
            using var silo = ShardSilo.Build(new SiloSettings(siloPort, gatewayPort, state, ConsoleLog: consoleLog));
            Assert.Equal(consoleLoggers, silo.Services.GetServices<ILoggerProvider>().Count(provider => provider is ConsoleLoggerProvider));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public void A_silo_declared_dead_is_ended_by_the_handler_that_tells_it_in_one_line()
    {
        // Orleans' own handler writes the error with two stack traces (78 lines) and aborts.
        var state = Path.Combine(Path.GetTempPath(), "il-silo-fatal-" + Guid.NewGuid().ToString("N"));
        var (siloPort, gatewayPort) = LocalCluster.FreePorts();
        try
        {
            using var silo = ShardSilo.Build(new SiloSettings(siloPort, gatewayPort, state));
            Assert.IsType<OneLineFatalErrorHandler>(silo.Services.GetRequiredService<Orleans.Runtime.IFatalErrorHandler>());
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Theory]
    // README: a silo gives an activation 60 s, half of it a shard's wait for the lease of the activation before it.
    [InlineData(null, 60)]
    [InlineData(8, 8)]
    public void A_silo_gives_an_activation_60_s_unless_its_settings_say_less(int? given, int seconds)
    {
        var state = Path.Combine(Path.GetTempPath(), "il-silo-activation-" + Guid.NewGuid().ToString("N"));
        var (siloPort, gatewayPort) = LocalCluster.FreePorts();
        try
        {
            using var silo = ShardSilo.Build(new SiloSettings(siloPort, gatewayPort, state,
                ActivationTimeout: given is { } s ? TimeSpan.FromSeconds(s) : null));
            Assert.Equal(TimeSpan.FromSeconds(seconds), silo.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value.ActivationTimeout);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    // Named as Orleans' own sender of the fatal error that declares a silo dead.
    private sealed class MembershipTableManager;

    [Fact]
    public void A_silo_declared_dead_says_so_in_one_line_and_to_start_it_again() =>
        Assert.Equal("error: this silo was declared dead by its cluster and stops (I have been told I am dead, so this silo will stop!); " +
            "its shards go on from their snapshots on the other silos: start it again to rejoin",
            OneLineFatalErrorHandler.Line(new MembershipTableManager(), "I have been told I am dead, so this silo will stop!\nSilo S127.0.0.1:40002", null));

    [Fact]
    public void Another_fatal_error_names_its_source_and_cause_in_one_line() =>
        Assert.Equal("error: the silo stops on a fatal error in String (a context (InvalidOperationException: broken)): start it again",
            OneLineFatalErrorHandler.Line("sender", "a context", new InvalidOperationException("broken\nat somewhere")));
}
