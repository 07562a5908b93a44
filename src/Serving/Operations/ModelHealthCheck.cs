using InverseLearning.Serving.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Healthy while a model is loaded and the server is not stopping; reported through the standard gRPC health service. A stop
/// is told at once (NOT_SERVING), not when the listener closes after the drain: a load balancer that checks then moves its
/// calls elsewhere while the server still answers the ones it has.
/// </summary>
public sealed class ModelHealthCheck(ModelHost host, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
            return Task.FromResult(HealthCheckResult.Unhealthy("the server is stopping: its in-flight calls drain, and it takes no new ones"));
        try
        {
            return Task.FromResult(HealthCheckResult.Healthy($"serving model {host.Current.Version}"));
        }
        catch (InvalidOperationException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(e.Message));
        }
    }
}
