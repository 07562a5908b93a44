using System.Net;
using InverseLearning.Training.Cluster;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>
/// Two silos hosted in the test process (the silo verb's own host, on free ports), sharing a scratch state folder. Orleans'
/// own failure detection, not the fast one: these silos are only ever stopped gracefully (which tells the other at once),
/// and the fast one could declare a silo dead while a loaded test process missed two 1-s probes, losing updates that
/// the exact-result tests count on.
/// </summary>
public sealed class InProcessSilos : IDisposable
{
    private readonly List<IHost> _silos = [];
    private readonly List<int> _gateways = [];

    private readonly string? _secondStateDirectory;

    /// <param name="secondStateDirectory">Whether the second silo snapshots into a folder of its own: a cluster started with two --state folders.</param>
    /// <param name="activationTimeout">How long the silos let an activation take; null: the silo verb's.</param>
    public InProcessSilos(bool secondStateDirectory = false, TimeSpan? activationTimeout = null)
    {
        StateDirectory = Path.Combine(Path.GetTempPath(), "il-silos-" + Guid.NewGuid().ToString("N"));
        if (secondStateDirectory) _secondStateDirectory = StateDirectory + "-second";
        int? primary = null;
        for (var k = 0; k < 2; k++)
        {
            var (siloPort, gatewayPort) = LocalCluster.FreePorts();
            var silo = ShardSilo.Build(new SiloSettings(siloPort, gatewayPort, k == 1 && _secondStateDirectory is { } own ? own : StateDirectory, primary, ConsoleLog: false,
                ActivationTimeout: activationTimeout));
            silo.StartAsync().GetAwaiter().GetResult();
            primary ??= siloPort;
            _silos.Add(silo);
            _gateways.Add(gatewayPort);
        }
    }

    public string StateDirectory { get; }

    public ClusterAddress Address => new(_gateways.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToList(), null);

    public ClusterSettings Settings(int shards, int persistEvery) => new(Address, shards, persistEvery, TimeSpan.FromMinutes(1));

    /// <summary>
    /// Stops the second silo: its shards come back on the first from their snapshots at their next call. The bound is
    /// generous (the stop returns once done): cut short, Orleans abandons the deactivations that save the snapshots.
    /// </summary>
    public void StopSecond() => _silos[1].StopAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();

    public void Dispose()
    {
        foreach (var silo in Enumerable.Reverse(_silos))
        {
            silo.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            silo.Dispose();
        }
        foreach (var state in new[] { StateDirectory, _secondStateDirectory })
            if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
    }
}
