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
    private readonly List<FreezableRelay> _relays = [];

    private readonly string? _secondStateDirectory;

    /// <param name="secondStateDirectory">Whether the second silo snapshots into a folder of its own: a cluster started with two --state folders.</param>
    /// <param name="activationTimeout">How long the silos let an activation take; null: the silo verb's.</param>
    /// <param name="relayed">Whether clients reach each gateway through a <see cref="FreezableRelay"/>, whose port the silo advertises.</param>
    public InProcessSilos(bool secondStateDirectory = false, TimeSpan? activationTimeout = null, bool relayed = false)
    {
        StateDirectory = Path.Combine(Path.GetTempPath(), "il-silos-" + Guid.NewGuid().ToString("N"));
        if (secondStateDirectory) _secondStateDirectory = StateDirectory + "-second";
        int? primary = null;
        for (var k = 0; k < 2; k++)
        {
            var (siloPort, gatewayPort) = LocalCluster.FreePorts();
            var relay = relayed ? new FreezableRelay(gatewayPort) : null;
            if (relay is not null) _relays.Add(relay);
            var silo = ShardSilo.Build(new SiloSettings(siloPort, relay?.Port ?? gatewayPort, k == 1 && _secondStateDirectory is { } own ? own : StateDirectory, primary, ConsoleLog: false,
                ActivationTimeout: activationTimeout, GatewayListeningPort: relay is null ? null : gatewayPort));
            silo.StartAsync().GetAwaiter().GetResult();
            primary ??= siloPort;
            _silos.Add(silo);
            _gateways.Add(relay?.Port ?? gatewayPort);
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

    /// <summary>The second silo's relay forwards nothing from now on, and keeps its connections open: the silo seems paused to its clients.</summary>
    public void FreezeSecondGateway() => _relays[1].Freeze();

    public void Dispose()
    {
        foreach (var silo in Enumerable.Reverse(_silos))
        {
            silo.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            silo.Dispose();
        }
        foreach (var relay in _relays) relay.Dispose();
        foreach (var state in new[] { StateDirectory, _secondStateDirectory })
            if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
    }
}
