using InverseLearning.Serving.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InverseLearning.Serving.Operations;

/// <summary>Healthy while a model is loaded; reported through the standard gRPC health service.</summary>
public sealed class ModelHealthCheck(ModelHost host) : IHealthCheck
{
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
