using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace InverseLearning.Training.Cluster;

/// <summary>A silo's settings: its ports, how it joins (a primary silo's port on this machine, or Redis), where shards snapshot, and how fast a lost peer is declared dead.</summary>
/// <param name="ConsoleLog">Warnings to the console: a silo process's own. A silo inside another process (the tests') leaves that process's console alone.</param>
/// <param name="ActivationTimeout">How long a grain's activation may take before Orleans cancels it; null: <see cref="ShardSilo.ActivationTimeout"/> (a test's is shorter).</param>
/// <param name="GatewayListeningPort">
/// Where the gateway listens when its clients reach it through a forwarder at <paramref name="GatewayPort"/>, the port the membership
/// lists (a test's relay); null: at <paramref name="GatewayPort"/>. Not with Redis.
/// </param>
public sealed record SiloSettings(int SiloPort, int GatewayPort, string StateDirectory, int? PrimaryPort = null, string? Redis = null,
    IPAddress? AdvertisedAddress = null, bool FastFailureDetection = false, string ClusterId = ShardSilo.DefaultClusterId, bool ConsoleLog = true,
    TimeSpan? ActivationTimeout = null, int? GatewayListeningPort = null);

/// <summary>
/// The process that hosts embedding shards: an Orleans silo. On one machine silos join through
/// the first one (development clustering: kill any but that one); in Kubernetes they register
/// in Redis. Fast failure detection (the local cluster's tests) declares a silo dead after two
/// missed one-second probes instead of Orleans' production defaults.
/// </summary>
public static class ShardSilo
{
    public const string DefaultClusterId = "inverselearning";
    /// <summary>Largest message: a whole table slot of one shard travels in one (checkpoints, export).</summary>
    public const int MaxMessageBytes = 1 << 30;
    /// <summary>How long a client call waits for its answer before it fails (and a shard call is retried).</summary>
    public static readonly TimeSpan ClientResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a grain's activation may take before Orleans cancels it (GrainCollectionOptions.ActivationTimeout, 30 s by default):
    /// a shard's waits half of it for the lease of the activation before it, and has the other half to read its snapshot. Under
    /// Orleans' 30 s, the 30 s wait for a lease still held (by a paused silo) was cut short, the activation failed, and so did the
    /// next: the shard never came back. Calls to the shard time out meanwhile and are retried, for two minutes by default.
    /// </summary>
    public static readonly TimeSpan ActivationTimeout = TimeSpan.FromSeconds(60);

    /// <summary>What a silo's one-line refusal of a port another process holds says (LocalCluster starts it again on other ports).</summary>
    public const string PortTaken = "is taken";

    public static IHost Build(SiloSettings settings)
    {
        RequireFree(settings.SiloPort, "--port");
        RequireFree(settings.GatewayListeningPort ?? settings.GatewayPort, "--gateway-port");
        Directory.CreateDirectory(settings.StateDirectory);
        var builder = Host.CreateApplicationBuilder([]);
        RequireLogLevels(builder);
        // Orleans' own start-up notes (server GC advice) are not the operator's concern, and a failed start is told in one
        // line by the silo verb instead of each layer's exception; its warnings about peers are.
        builder.Logging.ClearProviders();
        if (settings.ConsoleLog)
            builder.Logging.AddConsole(o => o.FormatterName = OneLineLogFormatter.FormatterName).AddConsoleFormatter<OneLineLogFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>()
                .SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Orleans.Runtime.Silo", LogLevel.None).AddFilter("Orleans.Runtime.SiloLifecycleSubject", LogLevel.None)
                .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.AddOptions<ShardStorageOptions>().Configure(o => o.Directory = Path.GetFullPath(settings.StateDirectory)).ValidateDataAnnotations().ValidateOnStart();
        builder.UseOrleans(silo =>
        {
            if (settings.Redis is { } redis)
            {
                silo.UseRedisClustering(redis);
                silo.ConfigureEndpoints(settings.AdvertisedAddress ?? IPAddress.Loopback, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ClusterId));
            }
            else
            {
                var primary = settings.PrimaryPort is { } port ? new IPEndPoint(IPAddress.Loopback, port) : null;
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, primary, settings.ClusterId, settings.ClusterId);
                if (settings.GatewayListeningPort is { } listening)
                    silo.Configure<EndpointOptions>(o => o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Loopback, listening));
            }
            silo.Configure<MessagingOptions>(o => o.MaxMessageBodySize = MaxMessageBytes);
            silo.Configure<GrainCollectionOptions>(o => o.ActivationTimeout = settings.ActivationTimeout ?? ActivationTimeout);
            if (settings.FastFailureDetection)
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                });
        });
        // After UseOrleans, whose own handler it replaces: that one writes stack traces and aborts.
        builder.Services.AddSingleton<Orleans.Runtime.IFatalErrorHandler, OneLineFatalErrorHandler>();
        return builder.Build();
    }

    // Orleans retries a port it cannot bind instead of failing: say so at once.
    private static void RequireFree(int port, string flag)
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Any, port);
        try
        {
            listener.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ArgumentException($"{flag}: port {port} {PortTaken} ({e.SocketErrorCode}); another silo or program listens there", e);
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>
    /// The refusal of a log level a silo started now would read (the environment's Logging__LogLevel__Default=Loud, appsettings.json),
    /// or null: what a local cluster checks before it starts silos that would each stop on it.
    /// </summary>
    public static string? LogLevelProblem() => Serving.ConfigurationCheck.LogLevelProblem(Host.CreateApplicationBuilder([]).Configuration);

    /// <summary>A log level the environment gives (Logging__LogLevel__Default=Loud) would stop the host with a stack trace; refused in one line.</summary>
    private static void RequireLogLevels(HostApplicationBuilder builder)
    {
        if (Serving.ConfigurationCheck.LogLevelProblem(builder.Configuration) is { } problem) throw new ArgumentException(problem);
    }

    /// <summary>A client of the cluster at <paramref name="address"/>: a host to start, whose IClusterClient calls the shards.</summary>
    /// <param name="report">Where a gateway left out of the client's list, or taken back, is told (<see cref="MembershipGatewayList"/>); null: nowhere.</param>
    public static IHost Client(ClusterAddress address, string clusterId = DefaultClusterId, Action<string>? report = null)
    {
        var builder = Host.CreateApplicationBuilder([]);
        RequireLogLevels(builder);
        // A client's failures reach the run as exceptions, told in one line each (ShardClient, ClusterStore): no log of its own.
        builder.Logging.ClearProviders();
        // Not the console's lifetime: it would take SIGTERM and Ctrl+C for this host and hold the process until the host stops,
        // which a run waiting on the cluster never does. The command line's own cancellation ends the run, and the run stops the host.
        builder.Services.AddSingleton<IHostLifetime, ClientLifetime>();
        builder.UseOrleansClient(client =>
        {
            // Redis lists only the silos not declared dead already; a static list is narrowed to them.
            if (address.Redis is { } redis) client.UseRedisClustering(redis);
            else
            {
                client.Services.AddSingleton<Orleans.Messaging.IGatewayListProvider>(services => new MembershipGatewayList(address.Gateways, services, report));
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = MembershipGatewayList.RefreshPeriod);
            }
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            client.Configure<MessagingOptions>(o => o.MaxMessageBodySize = MaxMessageBytes);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ClientResponseTimeout);
        });
        return builder.Build();
    }
}
