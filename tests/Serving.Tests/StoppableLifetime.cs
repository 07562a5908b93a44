using Microsoft.Extensions.Hosting;

namespace InverseLearning.Serving.Tests;

/// <summary>The host's lifetime, as far as the drain and the stop signals use it: StopApplication fires ApplicationStopping, as the host's does.</summary>
internal sealed class StoppableLifetime : IHostApplicationLifetime
{
    private readonly CancellationTokenSource _stopping = new();
    public CancellationToken ApplicationStarted => CancellationToken.None;
    public CancellationToken ApplicationStopping => _stopping.Token;
    public CancellationToken ApplicationStopped => CancellationToken.None;
    public void StopApplication() => _stopping.Cancel();
}
