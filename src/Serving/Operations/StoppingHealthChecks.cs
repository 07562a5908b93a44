using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// The health checks, answered NOT_SERVING without being run once the server stops: .NET's health service logs each Unhealthy
/// result as a failure ("fail: ... Health check model with status Unhealthy"), so every probe of a drain, where NOT_SERVING is
/// what is meant, was an error line. A check that fails while the server is not stopping is still run and logged.
/// </summary>
public sealed class StoppingHealthChecks(HealthCheckService checks, IHostApplicationLifetime lifetime) : HealthCheckService
{
    private static readonly HealthReport Stopping = new(new Dictionary<string, HealthReportEntry>
    {
        [ModelHealthCheck.Name] = new(HealthStatus.Unhealthy, "the server is stopping: its in-flight calls drain, and it takes no new ones", TimeSpan.Zero, null, null),
    }, TimeSpan.Zero);

    public override Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default) =>
        lifetime.ApplicationStopping.IsCancellationRequested ? Task.FromResult(Stopping) : checks.CheckHealthAsync(predicate, cancellationToken);

    /// <summary>Puts this in front of the health service that <paramref name="services"/> holds (.NET's own, whose type is not public).</summary>
    public static void Install(IServiceCollection services)
    {
        var registered = services.Single(service => service.ServiceType == typeof(HealthCheckService));
        var inner = registered.ImplementationType!;
        services.Remove(registered);
        services.AddSingleton(inner);
        services.AddSingleton<HealthCheckService>(provider =>
            new StoppingHealthChecks((HealthCheckService)provider.GetRequiredService(inner), provider.GetRequiredService<IHostApplicationLifetime>()));
    }
}
