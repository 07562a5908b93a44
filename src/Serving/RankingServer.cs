using System.Net;
using System.Net.Sockets;
using Grpc.AspNetCore.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving;

/// <summary>
/// The ranking server: Ranker, gRPC health and reflection over HTTP/2 cleartext on one port,
/// and — because h2c and HTTP/1 cannot share a plain-text port — Prometheus `/metrics` and
/// `POST /admin/reload` over HTTP/1 on a second port, bound to the admin address (loopback by default).
/// </summary>
public sealed class RankingServer : IAsyncDisposable
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

    /// <summary>Loads the model (a bad one throws <see cref="ModelLoadException"/>), binds the ports and starts serving.</summary>
    public static async Task<RankingServer> StartAsync(RankingOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var address = ParseHost(options.Host, "--host");
        var adminAddress = ParseHost(options.AdminHost, "--admin-host");
        var adminAccess = new AdminAccess(options, adminAddress);
        ListenOptions? grpcListen = null, metricsListen = null;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            // Refused calls (INVALID_ARGUMENT, RESOURCE_EXHAUSTED …) are the client's business, not a stack trace in our log.
            builder.Logging.AddFilter("Grpc.AspNetCore.Server", LogLevel.Warning);
            // A failed start (port taken) is reported once by our caller, not also as the host's stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        }
        else configureLogging(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes + 4096L;
            kestrel.Listen(address, options.Port, listen => { listen.Protocols = HttpProtocols.Http2; grpcListen = listen; });
            if (options.MetricsPort is { } metricsPort)
                kestrel.Listen(adminAddress, metricsPort, listen => { listen.Protocols = HttpProtocols.Http1; metricsListen = listen; });
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(adminAccess);
        builder.Services.AddSingleton<ReloadThrottle>();
        builder.Services.AddSingleton<CallGauge>();
        builder.Services.AddHostedService<IdleMemoryTrimmer>();
        builder.Services.AddSingleton<ServingMetrics>();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton<RequestValidator>();
        builder.Services.AddSingleton<MetricsInterceptor>();
        builder.Services.AddGrpc(grpc =>
            {
                // GrpcAdmission refuses a message declared over MaxRequestBytes (INVALID_ARGUMENT) before
                // gRPC reads it; this ceiling is what still guards a compressed one once inflated.
                grpc.MaxReceiveMessageSize = options.MaxRequestBytes;
            })
            .AddServiceOptions<RankerService>(service => service.Interceptors.Add<MetricsInterceptor>());
        builder.Services.AddGrpcHealthChecks().AddCheck<ModelHealthCheck>("model");
        builder.Services.AddGrpcReflection();
        if (options.WatchModel) builder.Services.AddHostedService<ModelFileWatcher>();

        var app = builder.Build();
        var host = app.Services.GetRequiredService<ModelHost>();
        try
        {
            await host.LoadInitialAsync(cancellationToken);
            app.UseMiddleware<GrpcAdmission>();
            app.MapGrpcService<RankerService>();
            app.MapGrpcHealthChecksService();
            app.MapGrpcReflectionService();
            MapHttpEndpoints(app, () => metricsListen);
            await StartListeningAsync(app, options, cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            await host.DisposeAsync();
            throw;
        }
        var server = new RankingServer(app, host, grpcListen!.IPEndPoint!.Port, metricsListen?.IPEndPoint);
        app.Services.GetRequiredService<ILogger<RankingServer>>().LogInformation(
            "Ranker listening on http://{Host}:{Port} (gRPC, HTTP/2 cleartext); metrics and admin on {MetricsAddress}",
            address, server.Port, server.MetricsPort is { } port ? $"http://{adminAddress}:{port}/metrics" : "(off)");
        return server;
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> fires, then drains in-flight calls and stops: what the `serve` verb runs.</summary>
    public static async Task RunAsync(RankingOptions options, CancellationToken cancellationToken)
    {
        await using var server = await StartAsync(options, cancellationToken: cancellationToken);
        // Ends on the caller's token or on the host's own SIGINT/SIGTERM handling, whichever comes first.
        await server._app.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>Stops taking calls, waits (up to the drain timeout) for in-flight ones, then frees the model.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default) => await _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        await _host.DisposeAsync();
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
            var admin = options.MetricsPort is { } port ? $", admin {options.AdminHost}:{port}" : "";
            throw new IOException($"cannot bind {options.Host}:{options.Port}{admin}: {e.Message}", e);
        }
    }

    /// <summary>Metrics and admin answer only on the HTTP/1 port, never beside the gRPC service, and never to a web page.</summary>
    private static void MapHttpEndpoints(WebApplication app, Func<ListenOptions?> metricsListen)
    {
        bool OnMetricsPort(HttpContext context) => metricsListen()?.IPEndPoint?.Port is { } port && context.Connection.LocalPort == port;

        app.MapGet("/metrics", (HttpContext context, ServingMetrics metrics) => !OnMetricsPort(context)
            ? Results.NotFound()
            : AdminAccess.RefuseBrowser(context) ?? Results.Text(metrics.ToPrometheusText(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapPost("/admin/reload", async (HttpContext context, ModelHost host, AdminAccess access, ReloadThrottle throttle, RankingOptions options) =>
        {
            if (!OnMetricsPort(context)) return Results.NotFound();
            if ((AdminAccess.RefuseBrowser(context) ?? access.RefuseUnauthorized(context)) is { } refused) return refused;
            if (!throttle.TryTake(out var wait))
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Text($"refused: reloads are limited to one per {options.ReloadMinInterval.TotalMilliseconds:0} ms; retry in {wait.TotalMilliseconds:0} ms\n",
                    statusCode: StatusCodes.Status429TooManyRequests);
            }
            var outcome = await host.ReloadAsync(context.RequestAborted);
            return outcome.Swapped
                ? Results.Text($"swapped: now serving {outcome.Version}\n")
                : Results.Text($"refused: still serving {outcome.Version}: {outcome.Error}\n", statusCode: StatusCodes.Status422UnprocessableEntity);
        });
    }

    private static IPAddress ParseHost(string host, string flag) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "0.0.0.0" => IPAddress.Any,
        _ when IPAddress.TryParse(host, out var address) => address,
        _ => throw new ArgumentException($"{flag} '{host}' is not an IP address (use 127.0.0.1, localhost, 0.0.0.0 or an interface address)"),
    };
}
