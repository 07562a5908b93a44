using InverseLearning.Training.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

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
}
