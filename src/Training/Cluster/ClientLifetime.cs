using Microsoft.Extensions.Hosting;

namespace InverseLearning.Training.Cluster;

/// <summary>A cluster client's host lifetime that listens to no signal: the process's command line owns SIGTERM and Ctrl+C.</summary>
internal sealed class ClientLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
