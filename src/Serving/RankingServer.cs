using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Grpc.AspNetCore.HealthChecks;
using Grpc.AspNetCore.Server;
using InverseLearning.Data;
using InverseLearning.Serving.Devices;
using InverseLearning.Serving.Models;
using InverseLearning.Serving.Models.Loading;
using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace InverseLearning.Serving;

/// <summary>
/// The ranking server: Ranker, gRPC health and reflection over HTTP/2 cleartext on one port,
/// and — because h2c and HTTP/1 cannot share a plain-text port — `/metrics` (OpenTelemetry's
/// Prometheus exporter) and `POST /admin/reload` over HTTP/1 on a second port, bound to the admin address (loopback by default).
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

    /// <summary>
    /// Builds the host from configuration (appsettings.json, the environment, then the flags in
    /// <paramref name="args"/>), checks the options, loads the model (a bad one throws
    /// <see cref="ModelLoadException"/>), binds the ports and starts serving.
    /// </summary>
    /// <param name="configure">Last changes to the host before it is built (tests: logging, options).</param>
    public static async Task<RankingServer> StartAsync(IReadOnlyList<string> args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        // An admin port of 0 is a port probed free before Kestrel binds it (FreePort); another socket may take it in
        // between (a server starting beside this one): the start is tried again with a newly probed port.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(args, configure, cancellationToken);
            }
            catch (ChosenPortTakenException e)
            {
                if (attempt == 3) ExceptionDispatchInfo.Throw(e.InnerException!);
            }
        }
    }

    /// <summary>The admin port probed free for an admin port of 0 was taken before the server bound it.</summary>
    private sealed class ChosenPortTakenException(Exception bindFailure) : Exception(bindFailure.Message, bindFailure);

    private static bool AddressInUse(Exception? e) =>
        e is not null && (e is AddressInUseException || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || AddressInUse(e.InnerException));

    private static async Task<RankingServer> StartOnceAsync(IReadOnlyList<string> args, Action<WebApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        ListenOptions? grpcListen = null, adminListen = null;
        // Chosen once (a free one for 0), by whichever needs it first: Kestrel, the admin endpoints or their authentication.
        int? chosenAdminPort = null;
        int AdminPort(RankingOptions options) => chosenAdminPort ??= options.MetricsPort == 0 ? FreePort(options.AdminHost) : options.MetricsPort;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(ServeFlags.ToSettings(args));
        if (ConfigurationCheck.FirstProblem(builder.Configuration) is { } problem) throw new ArgumentException(problem);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).EscapeConsoleText();
        builder.Services.AddOptions<RankingOptions>().BindConfiguration(RankingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RankingOptions>, RankingOptionsValidation>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var options = kestrel.ApplicationServices.GetRequiredService<IOptions<RankingOptions>>().Value;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Limits.Http2.InitialStreamWindowSize = options.Http2StreamWindowBytes;
            kestrel.Limits.Http2.InitialConnectionWindowSize = options.Http2ConnectionWindowBytes;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes + 4096L;
            kestrel.Listen(RankingOptionsValidation.ParseAddress(options.Host)!, options.Port, listen => { listen.Protocols = HttpProtocols.Http2; grpcListen = listen; });
            if (AdminPort(options) != RankingOptions.Off)
                kestrel.Listen(RankingOptionsValidation.ParseAddress(options.AdminHost)!, AdminPort(options), listen => { listen.Protocols = HttpProtocols.Http1; adminListen = listen; });
        });
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<RankingOptions>>((host, ranking) => host.ShutdownTimeout = ranking.Value.DrainTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddSingleton<ReloadThrottle>();
        builder.Services.AddSingleton<CallGauge>();
        builder.Services.AddHostedService<IdleMemoryTrimmer>();
        builder.Services.AddSingleton<ServingMetrics>();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton<RequestValidator>();
        builder.Services.AddGrpc();
        builder.Services.AddOptions<GrpcServiceOptions>().Configure<IOptions<RankingOptions>>((grpc, ranking) =>
        {
            // GrpcAdmission refuses a message declared over MaxRequestBytes (INVALID_ARGUMENT) before
            // gRPC reads it; this ceiling is what still guards a compressed one once inflated.
            grpc.MaxReceiveMessageSize = ranking.Value.MaxRequestBytes;
            grpc.CompressionProviders = CheckedCompression.Defaults();
        });
        builder.Services.AddGrpcHealthChecks().AddCheck<ModelHealthCheck>("model");
        builder.Services.AddGrpcReflection();
        builder.Services.AddHostedService<ModelFileWatcher>();
        builder.Services.AddAdminAuthentication(AdminPort);
        configure?.Invoke(builder);
        AddTelemetry(builder);

        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILogger<RankingServer>>();
        foreach (var unread in SettingsFileSections.Unread(builder.Configuration)) log.LogWarning("{UnreadSection}", unread);
        // The options are checked here, before the model loads (ValidateOnStart would only check them once the host starts).
        var settings = app.Services.GetRequiredService<IOptions<RankingOptions>>().Value;
        // Built now rather than when the host starts, so that the load's probe run is counted too.
        app.Services.GetRequiredService<MeterProvider>();
        // Once the host has stopped (calls drained, their spans ended), the spans still batched get at most the flush timeout;
        // the provider's disposal would wait its own 5 s for a collector that never answers.
        if (app.Services.GetService<TracerProvider>() is { } traces)
            app.Lifetime.ApplicationStopped.Register(() => traces.Shutdown((int)settings.TracesFlushTimeout.TotalMilliseconds));
        var host = app.Services.GetRequiredService<ModelHost>();
        try
        {
            await host.LoadInitialAsync(cancellationToken);
            app.UseMiddleware<GrpcAdmission>();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGrpcService<RankerService>();
            app.MapGrpcHealthChecksService();
            app.MapGrpcReflectionService();
            if (AdminPort(settings) != RankingOptions.Off) app.MapAdminEndpoints();
            await StartListeningAsync(app, settings, cancellationToken);
        }
        catch (Exception e)
        {
            await app.DisposeAsync();
            await host.DisposeAsync();
            if (settings.MetricsPort == 0 && AddressInUse(e)) throw new ChosenPortTakenException(e);
            throw;
        }
        var server = new RankingServer(app, host, grpcListen!.IPEndPoint!.Port, adminListen?.IPEndPoint);
        log.LogInformation(
            "Ranker listening on http://{Host}:{Port} (gRPC, HTTP/2 cleartext), scoring on {Device}; metrics and admin on {MetricsAddress}",
            settings.Host, server.Port, settings.Device, server.MetricsEndpoint is { } admin ? $"http://{admin}/metrics" : "(off)");
        return server;
    }

    /// <summary>Metrics for Prometheus on the admin port; traces over OTLP when <see cref="RankingOptions.TracesOtlpEndpoint"/> is set.</summary>
    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServingMetrics.MeterName)
            // Scrapes come seconds apart: a cached answer would save nothing and hide the latest calls.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => ((IDeferredMeterProviderBuilder)metrics).Configure((services, own) =>
        {
            // A meter's name is process-wide: another host in the process (tests start many) has
            // a meter of the same name, whose instruments this host must neither export nor mix in.
            var ownMeters = services.GetRequiredService<IMeterFactory>();
            own.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, ownMeters) ? null : MetricStreamConfiguration.Drop);
        }));
        // Read from configuration, not the bound options: whether to register tracing is decided before the host is built.
        var ranking = builder.Configuration.GetSection(RankingOptions.Section);
        if (ranking[nameof(RankingOptions.TracesOtlpEndpoint)] is not { Length: > 0 } endpoint) return;
        var protocol = ranking[nameof(RankingOptions.TracesOtlpProtocol)] == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        telemetry.WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation()
            .AddOtlpExporter(otlp =>
            {
                // OTLP over HTTP posts to the signal's own path below the endpoint's (a gateway's /otlp prefix kept), as the
                // exporter does for OTEL_EXPORTER_OTLP_ENDPOINT; it appends nothing to an endpoint given in code.
                otlp.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? TracesPath(new Uri(endpoint)) : new Uri(endpoint);
                otlp.Protocol = protocol;
            }));
    }

    /// <summary>The signal's path below the endpoint's own, before its query (a gateway's ?token=… stays a query).</summary>
    private static Uri TracesPath(Uri endpoint) => new UriBuilder(endpoint) { Path = endpoint.AbsolutePath.TrimEnd('/') + "/v1/traces" }.Uri;

    /// <summary>
    /// A free port of <paramref name="host"/>, for an admin port of 0: the admin endpoints' authentication
    /// knows its callers by that port, which must be known before the server binds.
    /// </summary>
    private static int FreePort(string host)
    {
        using var probe = new TcpListener(RankingOptionsValidation.ParseAddress(host)!, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// Serves until <paramref name="cancellationToken"/> fires or the process is told to stop, then drains
    /// in-flight calls: what `inverselearning-serve` and `inverselearning serve` run. A setting, model,
    /// device or address that stops the start is one error line on stderr and exit code 1.
    /// </summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) => RunAsync(args, configure: null, cancellationToken);

    /// <param name="configure">Last changes to the host before it is built (tests).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Action<WebApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            RankingServer started;
            using (StopSignals(starting))
                started = await StartAsync(args, configure, starting.Token);
            await using var server = started;
            // A signal the start took no notice of (it came after the start's last check of the token) stops it now.
            starting.Token.ThrowIfCancellationRequested();
            // Ends on the caller's token or on the host's own SIGINT/SIGTERM handling, whichever comes first.
            await server._app.WaitForShutdownAsync(cancellationToken);
            return server.Failure() is { } failure ? Failed($"the server stopped: {failure}") : 0;
        }
        catch (OptionsValidationException e)
        {
            return Failed(e.Failures.First());
        }
        // An appsettings.json that is not JSON: the file, then where the parser stopped, counted from 1 as editors count.
        catch (InvalidDataException e) when (e.InnerException is FormatException)
        {
            var cause = e.InnerException;
            while (cause.InnerException is not null) cause = cause.InnerException;
            return Failed($"{e.Message.TrimEnd('.')}: {(cause is JsonException json ? JsonProblem(json) : cause.Message)}");
        }
        // A configuration value the binder cannot convert ("Failed to convert configuration value '1e9' at 'Ranking:MaxTopK' ...").
        catch (InvalidOperationException e) when (e.InnerException is FormatException or OverflowException or ArgumentException)
        {
            return Failed(e.Message);
        }
        // UnauthorizedAccessException: an appsettings.json this user may not read (its message names the file).
        catch (Exception e) when (e is ModelLoadException or DeviceUnavailableException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return Failed(e.Message);
        }
        catch (OperationCanceledException) when (starting.IsCancellationRequested)
        {
            // Stopped before it was serving: the command line's code for a cancelled run.
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }

    /// <summary>The parser's complaint without its zero-based "LineNumber: 0 | BytePositionInLine: 5." tail, and where, counted from 1.</summary>
    private static string JsonProblem(JsonException e)
    {
        var said = e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd('.', ' ');
        return e.LineNumber is { } line && e.BytePositionInLine is { } at ? $"not JSON at line {line + 1}, byte {at + 1}: {said}" : $"not JSON: {said}";
    }

    /// <summary>
    /// SIGINT and SIGTERM cancel <paramref name="starting"/> until the host listens. The host's own handling of them is not
    /// in place before: a signal while the model loads ended the process with no word, and one while the ports were bound
    /// with a stack trace (the host's stop cancelled the bind).
    /// </summary>
    private static IDisposable StopSignals(CancellationTokenSource starting)
    {
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            starting.Cancel();
        }
        return new Registrations([PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop)]);
    }

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }

    /// <summary>
    /// Why a background service of the host (the model watcher, the memory trimmer) ended in failure, which stops the host
    /// (.NET's StopHost): a server that stopped so has failed, not drained on request, and the host's own log line of it is
    /// silenced (appsettings.json); null when none failed.
    /// </summary>
    private string? Failure() =>
        _app.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Select(service => service.ExecuteTask is { IsFaulted: true } task ? $"{service.GetType().Name}: {task.Exception!.GetBaseException().Message}" : null)
            .FirstOrDefault(failure => failure is not null);

    private static int Failed(string message)
    {
        // A path or a value given may hold control characters (the console's writer is not wrapped: the log's colour codes go through it).
        Console.Error.WriteLine($"error: {TerminalText.Safe(message)}");
        return 1;
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
            var admin = options.MetricsPort != RankingOptions.Off ? $", admin {options.AdminHost}:{options.MetricsPort}" : "";
            throw new IOException($"cannot bind {options.Host}:{options.Port}{admin}: {e.Message}", e);
        }
    }
}
