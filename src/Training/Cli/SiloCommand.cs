using System.CommandLine;
using System.Net;
using InverseLearning.Training.Cluster;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Training.Cli;

/// <summary>`silo`: host embedding shards for runs trained with `train --cluster`, until Ctrl+C, SIGTERM or SIGHUP.</summary>
public static class SiloCommand
{
    public static Command Create()
    {
        var command = new Command("silo", "Host embedding-table shards for `train --cluster` (an Orleans silo), until Ctrl+C or SIGTERM. " +
            "On one machine, start the first silo without --primary-port and the others with --primary-port set to its --port; " +
            "in Kubernetes, give every silo --redis.");
        var port = new Option<int>("--port") { Description = "Silo-to-silo port.", DefaultValueFactory = _ => 11111 }.Within(1, IPEndPoint.MaxPort);
        var gateway = new Option<int>("--gateway-port") { Description = "Port trainers connect to (give them IP:PORT in --cluster).", DefaultValueFactory = _ => 30000 }.Within(1, IPEndPoint.MaxPort);
        var primary = new Option<int?>("--primary-port") { Description = "The --port of this machine's first silo, which the others join (leave out on the first)." }.Within(1, IPEndPoint.MaxPort);
        var state = new Option<string>("--state") { Description = "Folder where shards snapshot themselves, shared by every silo of the cluster.", Required = true };
        var redis = new Option<string?>("--redis") { Description = "Join through Redis membership (HOST:PORT) instead of a primary silo." };
        var advertise = new Option<string?>("--advertise") { Description = "With --redis: the IP other silos and trainers reach this one at (default 127.0.0.1)." };
        var fast = new Option<bool>("--fast-failure-detection") { Description = "Declare a silo dead after two missed 1 s probes (local clusters and tests) instead of Orleans' production defaults." };
        var exitWith = new Option<int?>("--exit-with") { Description = "Stop when the process with this id ends (a local cluster's silos end with the command that started them)." }.Within(1, int.MaxValue);
        foreach (var option in new Option[] { port, gateway, primary, state, redis, advertise, fast, exitWith }) command.Options.Add(option);
        command.SetAction(async (parse, cancel) =>
        {
            SiloSettings settings;
            try
            {
                settings = Settings(parse);
                settings = settings with { StateDirectory = ShardStorageOptions.Prepare(settings.StateDirectory) };
                ParentProcess.RequireRunning(parse.GetValue(exitWith));
                if (settings.PrimaryPort is { } primaryPort) await RequirePrimary(primaryPort, cancel);
            }
            catch (ArgumentException e)
            {
                return CliErrors.Report(e);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("cancelled");
                return 130;
            }
            IHost host;
            try
            {
                host = ShardSilo.Build(settings);
            }
            catch (ArgumentException e)
            {
                return CliErrors.Report(e);
            }
            using var _ = host;
            using var startLimit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            startLimit.CancelAfter(StartTimeout);
            try
            {
                await host.StartAsync(startLimit.Token);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                Console.Error.WriteLine(settings.Redis is null && settings.PrimaryPort is null
                    ? $"error: the silo did not start within {StartTimeout.TotalSeconds:F0} s"
                    : $"error: the silo did not join its cluster within {StartTimeout.TotalSeconds:F0} s ({(settings.Redis is { } r ? $"Redis at {ClusterAddress.RedisShown(r)}" : $"primary silo at 127.0.0.1:{settings.PrimaryPort}")}); is that a silo of this cluster?");
                return 1;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("cancelled");
                return 130;
            }
            catch (Exception e)
            {
                return CliErrors.Fail($"the silo did not start on ports {settings.SiloPort}/{settings.GatewayPort}{(settings.Redis is { } r ? $" (--redis {ClusterAddress.RedisShown(r)})" : "")}: {ClusterFailure.Reason(e)}");
            }
            using var parentGone = parse.GetValue(exitWith) is { } parent ? ParentProcess.WhenEnds(parent, "silo") : new CancellationTokenSource();
            using var primaryLost = settings.PrimaryPort is { } joined ? PrimarySiloWatch.Start(joined, settings.FastFailureDetection ? PrimaryPatienceFast : PrimaryPatience) : new CancellationTokenSource();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, parentGone.Token, primaryLost.Token);
            // The host's own lifetime takes SIGTERM and Ctrl+C, not SIGHUP, which would end the silo before its shards' last snapshots.
            using var hangUp = HangUpSignal.Cancels(stop);
            // Said once SIGHUP is taken: a hang-up between this line and the registration ended the silo on the spot (exit 129).
            Console.Error.WriteLine($"silo up: port {settings.SiloPort}, gateway {settings.GatewayPort}, snapshots in {Path.GetFullPath(settings.StateDirectory)}");
            // Ends on SIGTERM, Ctrl+C or SIGHUP, on the command line's cancellation, when the parent ends, or when the primary is gone.
            await host.WaitForShutdownAsync(stop.Token);
            return primaryLost.IsCancellationRequested ? 1 : 0;
        });
        return command;
    }

    /// <summary>
    /// The silo's settings from its flags, checked as far as they can be without the state folder, the network or other processes;
    /// an <see cref="ArgumentException"/> says in one line which flag is wrong. The deploy manifests' silo args are checked through it.
    /// </summary>
    public static SiloSettings Settings(ParseResult parse)
    {
        var settings = new SiloSettings(Port(parse.GetValue<int>("--port"), "--port"), Port(parse.GetValue<int>("--gateway-port"), "--gateway-port"), parse.GetValue<string>("--state")!,
            parse.GetValue<int?>("--primary-port") is { } p ? Port(p, "--primary-port") : null, parse.GetValue<string?>("--redis"),
            parse.GetValue<string?>("--advertise") is { } a ? (IPAddress.TryParse(a, out var ip) ? ip : throw new ArgumentException($"--advertise: '{a}' is not an IP address")) : null,
            parse.GetValue<bool>("--fast-failure-detection"));
        if (settings.Redis is not null && settings.PrimaryPort is not null) throw new ArgumentException("--redis and --primary-port are two ways to join: give one");
        if (settings.Redis is { } joinAt && ClusterAddress.RedisProblem(joinAt, "--redis") is { } problem) throw new ArgumentException(problem);
        if (settings.Redis is null && settings.AdvertisedAddress is not null) throw new ArgumentException("--advertise is for silos that join through --redis; silos joined by --primary-port are reached at 127.0.0.1");
        if (settings.SiloPort == settings.GatewayPort) throw new ArgumentException($"--port and --gateway-port are both {settings.SiloPort}: give two ports");
        if (settings.PrimaryPort is { } joins && (joins == settings.SiloPort || joins == settings.GatewayPort))
            throw new ArgumentException($"--primary-port {joins} is this silo's own port: it is the --port of the first silo, which is started without it");
        if (parse.GetValue<int?>("--exit-with") is { } parentId && parentId < 1) throw new ArgumentException($"--exit-with: {parentId} is not a process id");
        return settings;
    }

    private static int Port(int port, string flag) => port is >= 1 and <= IPEndPoint.MaxPort ? port : throw new ArgumentException($"{flag}: {port} is not a port (1..{IPEndPoint.MaxPort})");

    // Orleans retries a join it cannot make for ever, a stack trace per attempt; a silo that cannot join says so once. Shorter than LocalCluster's wait for a silo.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60), PrimaryWait = TimeSpan.FromSeconds(5);

    // How long a joined silo waits for its lost primary before it stops: a restart's worth, or a few probes where failures are detected fast.
    private static readonly TimeSpan PrimaryPatience = TimeSpan.FromSeconds(30), PrimaryPatienceFast = TimeSpan.FromSeconds(5);

    // A primary silo is up (listening) before the others are started; a few seconds cover one restarting.
    private static async Task RequirePrimary(int port, CancellationToken cancel)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port, cancel);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (waited.Elapsed < PrimaryWait)
            {
                await Task.Delay(250, cancel);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new ArgumentException($"--primary-port {port}: nothing listens on 127.0.0.1:{port} ({e.SocketErrorCode}); start the first silo (without --primary-port) and give its --port", e);
            }
        }
    }
}
