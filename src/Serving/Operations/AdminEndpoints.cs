using System.Globalization;
using System.Net;
using InverseLearning.Serving.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Operations;

/// <summary>The admin port's endpoints, `GET /metrics`, `GET /healthz` and `POST /admin/reload`, and who may call them.</summary>
public static class AdminEndpoints
{
    /// <summary>The admin port's operator (<see cref="AdminAuthenticationHandler"/>) and what each admin endpoint asks of them.</summary>
    public static void AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<AdminToken>();
        services.AddAuthentication(AdminAuthenticationHandler.SchemeName)
            .AddScheme<AdminAuthenticationOptions, AdminAuthenticationHandler>(AdminAuthenticationHandler.SchemeName, null);
        // Authentication brings Data Protection, whose key ring is made on start and written under $HOME/.aspnet. Nothing here
        // protects data (a bearer token, no cookies): its keys stay in memory, and a replica writes nothing of its own.
        services.Configure<KeyManagementOptions>(keys => keys.XmlRepository = new InMemoryKeyRing());
        services.AddOptions<AdminAuthenticationOptions>(AdminAuthenticationHandler.SchemeName).Configure<IOptions<RankingOptions>>((admin, ranking) =>
        {
            admin.LoopbackHost = IPAddress.IsLoopback(RankingOptionsValidation.ParseAddress(ranking.Value.AdminHost)!) ? ranking.Value.AdminHost : null;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminAuthenticationHandler.MetricsPolicy, policy => policy.RequireClaim(AdminAuthenticationHandler.Permission, AdminAuthenticationHandler.ReadMetrics))
            .AddPolicy(AdminAuthenticationHandler.ReloadPolicy, policy => policy.RequireClaim(AdminAuthenticationHandler.Permission, AdminAuthenticationHandler.Reload));
    }

    /// <summary>
    /// Metrics and admin answer only on the admin port, never beside the gRPC service, and never to a web page. The port is the
    /// connection's listener (<see cref="AdminConnections"/>), not a Host header's: a port-forward or a mapped port names its own.
    /// </summary>
    public static void MapAdminEndpoints(this WebApplication app)
    {
        string[] scrape = [HttpMethods.Get, HttpMethods.Head];
        // The exporter maps every method; a scrape is a GET.
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata(scrape))
            .RequireAuthorization(AdminAuthenticationHandler.MetricsPolicy);
        app.MapMethodNotAllowed("/metrics", scrape).RequireAuthorization(AdminAuthenticationHandler.MetricsPolicy);
        // The kubelet's liveness and startup probe: the gRPC port's connections are capped (--max-connections) and a full
        // server is taken out of the Service by its gRPC health (readiness), not restarted because that health went unanswered.
        app.MapGet("/healthz", async (HealthCheckService health, CancellationToken cancel) =>
        {
            var report = await health.CheckHealthAsync(cancel);
            var said = string.Join("; ", report.Entries.Values.Select(entry => entry.Description));
            return report.Status == HealthStatus.Healthy
                ? Results.Text($"ok: {said}\n")
                : Results.Text($"unhealthy: {said}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }).RequireAuthorization(AdminAuthenticationHandler.MetricsPolicy); // no token: what a scrape may read
        app.MapMethodNotAllowed("/healthz", [HttpMethods.Get]).RequireAuthorization(AdminAuthenticationHandler.MetricsPolicy);
        app.MapMethodNotAllowed("/admin/reload", [HttpMethods.Post]).RequireAuthorization(AdminAuthenticationHandler.MetricsPolicy);
        app.MapPost("/admin/reload", async (HttpContext context, ModelHost host, ReloadThrottle throttle, IOptions<RankingOptions> options, IHostApplicationLifetime lifetime) =>
        {
            // A stopping server serves out its calls and exits: a model loaded now would serve nothing, and spend CPU its drain needs.
            if (lifetime.ApplicationStopping.IsCancellationRequested)
                return Results.Text("refused: the server is shutting down (draining its calls); no model is loaded now\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            if (!throttle.TryTake(out var wait))
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Results.Text($"refused: reloads are limited to one per {options.Value.ReloadMinInterval.TotalMilliseconds:0} ms; retry in {wait.TotalMilliseconds:0} ms\n",
                    statusCode: StatusCodes.Status429TooManyRequests);
            }
            var outcome = await host.ReloadAsync(context.RequestAborted);
            return outcome.Swapped
                ? Results.Text($"swapped: now serving {outcome.Version}\n")
                : Results.Text($"refused: still serving {outcome.Version}: {outcome.Error}\n", statusCode: StatusCodes.Status422UnprocessableEntity);
        }).RequireAuthorization(AdminAuthenticationHandler.ReloadPolicy);
    }

    /// <summary>
    /// 405 and Allow for <paramref name="path"/> asked with a method it does not take: routing answers so by itself only when no
    /// other endpoint could take the path, and gRPC's route for unknown services ({service}/{method}, any method, refused later by
    /// a constraint) could take /admin/reload, which then answered 404. Endpoints that name their methods win over this one.
    /// </summary>
    private static IEndpointConventionBuilder MapMethodNotAllowed(this WebApplication app, string path, string[] allowed) =>
        app.Map(path, (HttpContext context) =>
        {
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return Results.Text($"refused: {path} takes {string.Join(" or ", allowed)}, not {context.Request.Method}\n", statusCode: StatusCodes.Status405MethodNotAllowed);
        });
}
