using System.Net;
using System.Net.Sockets;
using InverseLearning.Serving.Devices;
using InverseLearning.Serving.Models;
using InverseLearning.Serving.Models.Loading;
using InverseLearning.Serving.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving;

/// <summary>
/// The ranking server: Ranker, gRPC health and reflection over HTTP/2 cleartext on one port,
/// and — because h2c and HTTP/1 cannot share a plain-text port — `/metrics` (OpenTelemetry's
/// Prometheus exporter) and `POST /admin/reload` over HTTP/1 on a second port, bound to the admin address (loopback by default).
/// Its services are <see cref="RankingServices"/>, its telemetry <see cref="RankingTelemetry"/>, its pipeline
/// <see cref="RankingEndpoints"/>; running it as a process is <see cref="RunAsync(IReadOnlyList{string}, CancellationToken)"/>.
/// </summary>
public sealed partial class RankingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelHost _host;

    private RankingServer(WebApplication app, ModelHost host, int port, IPEndPoint? metricsEndpoint)
    {
        _app = app;
        _host = host;
        Port = port;
        MetricsEndpoint = metricsEndpoint;
    }

    /// <summary>The gRPC port actually bound (the chosen one when the options said 0).</summary>
    public int Port { get; }

    /// <summary>The metrics/admin HTTP/1 port actually bound, or null when turned off.</summary>
    public int? MetricsPort => MetricsEndpoint?.Port;

    /// <summary>The metrics/admin address and port actually bound, or null when turned off.</summary>
    public IPEndPoint? MetricsEndpoint { get; }

    /// <summary>
    /// Builds the host from configuration (appsettings.json, the environment, then the flags in
    /// <paramref name="args"/>), checks the options, loads the model (a bad one throws
    /// <see cref="ModelLoadException"/>), binds the ports and starts serving.
    /// </summary>
    /// <param name="configure">Last changes to the host before it is built (tests: logging, options).</param>
    public static async Task<RankingServer> StartAsync(IReadOnlyList<string> args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        ListenOptions? grpcListen = null, adminListen = null;
        // The builder reads the settings files as it is made.
        if (SettingsFiles.Problem(AppContext.BaseDirectory) is { } unreadable) throw new ArgumentException(unreadable);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.AddLogLevelDefaults();
        builder.Configuration.AddInMemoryCollection(ServeFlags.ToSettings(args));
        if ((ConfigurationCheck.CaseTwins(Environment.GetEnvironmentVariables()) ?? ConfigurationCheck.FirstProblem(builder.Configuration)) is { } problem)
            throw new ArgumentException(problem);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).EscapeConsoleText();
        builder.Services.AddRankingServices();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var options = kestrel.ApplicationServices.GetRequiredService<IOptions<RankingOptions>>().Value;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Limits.Http2.InitialStreamWindowSize = options.Http2StreamWindowBytes;
            kestrel.Limits.Http2.InitialConnectionWindowSize = options.Http2ConnectionWindowBytes;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes + 4096L;
            Listen(kestrel, options.Host, options.Port, listen => { listen.Protocols = HttpProtocols.Http2; grpcListen = listen; });
            if (options.MetricsPort != RankingOptions.Off)
                Listen(kestrel, options.AdminHost, options.MetricsPort, listen => { listen.Protocols = HttpProtocols.Http1; listen.MarkAsAdmin(); adminListen = listen; });
        });
        configure?.Invoke(builder);
        builder.AddRankingTelemetry();

        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILogger<RankingServer>>();
        foreach (var unread in SettingsFileSections.Unread(builder.Configuration)) log.LogWarning("{UnreadSection}", unread);
        // The options are checked here, before the model loads (ValidateOnStart would only check them once the host starts).
        var settings = app.Services.GetRequiredService<IOptions<RankingOptions>>().Value;
        foreach (var warning in SettingsWarnings.Of(settings)) log.LogWarning("{SettingsWarning}", warning);
        app.StartRankingTelemetry(settings);
        var host = app.Services.GetRequiredService<ModelHost>();
        try
        {
            try
            {
                await host.LoadInitialAsync(cancellationToken);
            }
            catch (DeviceUnavailableException e) when (NamingItsSetting(e, app.Configuration, settings.Device) is { } named)
            {
                throw named;
            }
            app.MapRankingEndpoints(withAdmin: settings.MetricsPort != RankingOptions.Off);
            await StartListeningAsync(app, settings, cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            await host.DisposeAsync();
            throw;
        }
        var server = new RankingServer(app, host, grpcListen!.IPEndPoint!.Port, adminListen?.IPEndPoint);
        // The address bound, as a URL writes it (an IPv6 one in brackets), as Kestrel's own line and the admin address are.
        log.LogInformation(
            "Ranker listening on http://{Address} (gRPC, HTTP/2 cleartext), scoring on {Device}; metrics and admin on {MetricsAddress}",
            grpcListen!.IPEndPoint, settings.Device, server.MetricsEndpoint is { } admin ? $"http://{admin}/metrics" : "(off)");
        return server;
    }

    /// <summary>
    /// A device's refusal, worded for the flag ("--device cuda: …"), for a device that a settings file or the environment chose:
    /// named by its setting and source, as every other setting's refusal is; null when the flag chose it.
    /// </summary>
    private static DeviceUnavailableException? NamingItsSetting(DeviceUnavailableException e, IConfiguration configuration, string device)
    {
        var flag = $"--device {device}";
        const string key = $"{RankingOptions.Section}:{nameof(RankingOptions.Device)}";
        return e.Message.StartsWith(flag, StringComparison.Ordinal) && ConfigurationCheck.Origin(configuration, key) is { } origin
            ? new DeviceUnavailableException($"{key} {device} ({origin}){e.Message[flag.Length..]}")
            : null;
    }

    /// <summary>
    /// Binds <paramref name="host"/>'s address; `*` as Kestrel reads it in a URL: every IPv4 and IPv6 address, one dual-stack
    /// socket (IPv4's alone on a machine without IPv6), where IPv4's 0.0.0.0 alone left IPv6 clients refused.
    /// </summary>
    private static void Listen(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        if (host == "*") kestrel.ListenAnyIP(port, configure);
        else kestrel.Listen(RankingOptionsValidation.ParseAddress(host)!, port, configure);
    }

    /// <summary>An address that cannot be bound (taken, or not this machine's) becomes one <see cref="IOException"/> naming it.</summary>
    private static async Task StartListeningAsync(WebApplication app, RankingOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (SocketException e)
        {
            throw BindFailure(options, e);
        }
    }

    private static IOException BindFailure(RankingOptions options, SocketException e)
    {
        // Kestrel's error does not say which socket failed; the address that cannot take a socket of its own now is that one.
        // Both or neither (a failure of another kind) name both, as before.
        var hostFails = !Bindable(options.Host);
        var adminFails = options.MetricsPort != RankingOptions.Off && !Bindable(options.AdminHost);
        if (hostFails != adminFails)
            return new IOException(hostFails
                ? $"cannot bind {HostAndPort(options.Host, options.Port)}: {e.Message}"
                : $"cannot bind admin {HostAndPort(options.AdminHost, options.MetricsPort)}: {e.Message}", e);
        var admin = options.MetricsPort != RankingOptions.Off ? $", admin {HostAndPort(options.AdminHost, options.MetricsPort)}" : "";
        return new IOException($"cannot bind {HostAndPort(options.Host, options.Port)}{admin}: {e.Message}", e);
    }

    /// <summary>Whether <paramref name="host"/> takes a socket on a port of the system's choosing (`*`, any address, always does).</summary>
    private static bool Bindable(string host)
    {
        if (host == "*") return true;
        try
        {
            using var probe = new TcpListener(RankingOptionsValidation.ParseAddress(host)!, 0);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A host setting and a port as a URL writes them: an IPv6 address in brackets, where its own colons would run into the port's.</summary>
    private static string HostAndPort(string host, int port) =>
        RankingOptionsValidation.ParseAddress(host) is { AddressFamily: AddressFamily.InterNetworkV6 } ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>Stops taking calls, waits (up to the drain timeout) for in-flight ones, then frees the model.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default) => await _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        await _host.DisposeAsync();
    }
}
