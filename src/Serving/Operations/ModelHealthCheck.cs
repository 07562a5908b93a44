using InverseLearning.Serving.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Healthy while a model is loaded; reported through the standard gRPC health service. A stop is told at once (NOT_SERVING,
/// <see cref="StoppingHealthChecks"/>), not when the listener closes after the drain: a load balancer that checks then moves
/// its calls elsewhere while the server still answers the ones it has.
/// </summary>
public sealed class ModelHealthCheck(ModelHost host) : IHealthCheck
{
    /// <summary>The check's name in the health report.</summary>
    public const string Name = "model";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
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
