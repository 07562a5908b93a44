using System.Diagnostics.Metrics;
using System.Reflection;
using InverseLearning.Serving.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace InverseLearning.Serving;

/// <summary>
/// The ranking server's OpenTelemetry: metrics for Prometheus on the admin port; traces over OTLP when
/// <see cref="RankingOptions.TracesOtlpEndpoint"/> is set.
/// </summary>
public static class RankingTelemetry
{
    /// <summary>The service's name in its telemetry (`service.name`) where OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES name none.</summary>
    public const string ServiceName = "inverselearning-serve";

    /// <summary>The server's version (`service.version`): its assembly's, without the build metadata after a `+`.</summary>
    public static string? ServiceVersion { get; } =
        typeof(RankingTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    public static void AddRankingTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            // Named, or every replica's metrics and spans were unknown_service:dotnet's. The environment's detector again after
            // it: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES' service.name still name it, as they would any service.
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: ServiceVersion).AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
            .AddMeter(ServingMetrics.MeterName)
            // Kestrel's count of the connections refused at --max-connections, which its log no longer tells one by one.
            .AddMeter(RefusedConnections.KestrelMeterName)
            // Scrapes come seconds apart: a cached answer would save nothing and hide the latest calls.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => ((IDeferredMeterProviderBuilder)metrics).Configure((services, own) =>
        {
            // A meter's name is process-wide: another host in the process (tests start many) has
            // a meter of the same name, whose instruments this host must neither export nor mix in.
            var ownMeters = services.GetRequiredService<IMeterFactory>();
            own.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, ownMeters) && KeptOf(instrument) ? null : MetricStreamConfiguration.Drop);
        }));
        builder.Services.AddSingleton(services => new RefusedConnections(services.GetRequiredService<IMeterFactory>(),
            services.GetRequiredService<IOptions<RankingOptions>>(), services.GetRequiredService<ILogger<RefusedConnections>>(), TimeSpan.FromMinutes(1)));
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
        builder.Services.AddSingleton(services => new TraceExportFailures(services.GetRequiredService<ILogger<TraceExportFailures>>(), TimeSpan.FromMinutes(1)));
    }

    /// <summary>Builds the telemetry's providers once the host is built, before the model loads, and bounds the traces' last flush.</summary>
    public static void StartRankingTelemetry(this WebApplication app, RankingOptions settings)
    {
        // Built now rather than when the host starts, so that what is recorded before then (the reload counters' zeros) is exported too.
        app.Services.GetRequiredService<MeterProvider>();
        // Listening from now until the host is disposed: a connection refused is told in the log, once a minute at most.
        app.Services.GetRequiredService<RefusedConnections>();
        // Once the host has stopped (calls drained, their spans ended), the spans still batched get at most the flush timeout;
        // the provider's disposal would wait its own 5 s for a collector that never answers.
        if (app.Services.GetService<TracerProvider>() is not { } traces) return;
        app.Lifetime.ApplicationStopped.Register(() => traces.Shutdown((int)settings.TracesFlushTimeout.TotalMilliseconds));
        // Listening from now until the host is disposed, after the last flush: a collector that cannot be reached is said in the log.
        app.Services.GetRequiredService<TraceExportFailures>();
        var endpoint = settings.TracesOtlpProtocol == "http/protobuf" ? TracesPath(new Uri(settings.TracesOtlpEndpoint)) : new Uri(settings.TracesOtlpEndpoint);
        // The sampler as the SDK reads it (checked on start): the ratio samplers' ratio after their name.
        var sampler = app.Configuration["OTEL_TRACES_SAMPLER"] is { Length: > 0 } named
            ? named.EndsWith("traceidratio", StringComparison.OrdinalIgnoreCase) ? $"{named} {app.Configuration["OTEL_TRACES_SAMPLER_ARG"]?.Trim()}" : named
            : "parentbased_always_on (the default)";
        app.Services.GetRequiredService<ILogger<RankingServer>>().LogInformation(
            "Tracing calls to {TracesEndpoint} over OTLP {TracesProtocol}, sampled by {TracesSampler}",
            // Without its user or query: a gateway's ?token=… is a secret.
            endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped), settings.TracesOtlpProtocol, sampler);
    }

    /// <summary>Of Kestrel's meter, only its refusals: its other instruments are connection counts and durations by address that no one asked for.</summary>
    private static bool KeptOf(Instrument instrument) =>
        instrument.Meter.Name != RefusedConnections.KestrelMeterName || instrument.Name == RefusedConnections.RejectedInstrument;

    /// <summary>The signal's path below the endpoint's own, before its query (a gateway's ?token=… stays a query).</summary>
    private static Uri TracesPath(Uri endpoint) => new UriBuilder(endpoint) { Path = endpoint.AbsolutePath.TrimEnd('/') + "/v1/traces" }.Uri;
}
