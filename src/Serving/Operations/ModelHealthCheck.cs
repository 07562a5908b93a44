using InverseLearning.Serving.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Healthy while a model is loaded; reported through the standard gRPC health service. A stop is told at once (NOT_SERVING,
/// <see cref="StoppingHealthChecks"/>) to whoever still reaches the listeners: they stay open through a stop only while
/// RankStreams drain (<see cref="Transport.RankStreamDrain"/>), and close at once without any.
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
