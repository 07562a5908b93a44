using InverseLearning.Serving.Models;
using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Tests;

/// <summary>The model host on its own: what a swap does to the model it replaces.</summary>
public sealed class ModelHostTests : IAsyncLifetime
{
    private static readonly GmfModelFixture First = GmfModelFixture.Random(users: 6, items: 12, dim: 4, seed: 31, version: "h1");
    private static readonly GmfModelFixture Second = GmfModelFixture.Random(users: 6, items: 12, dim: 4, seed: 32, version: "h2");
    private readonly string _folder = Directory.CreateTempSubdirectory("model-host-tests-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private ModelHost Host() => new(Options.Create(new RankingOptions { ModelPath = First.WriteModel(_folder) }),
        new ServingMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), new CallGauge()), NullLogger<ModelHost>.Instance);

    [Fact]
    public async Task A_swap_frees_the_old_model_once_its_last_request_is_done()
    {
        await using var host = Host();
        await host.LoadInitialAsync(CancellationToken.None);
        var old = host.Current;
        var lease = host.Acquire();
        Second.WriteModel(_folder);

        var outcome = await host.ReloadAsync(CancellationToken.None);

        Assert.Equal((true, "h2"), (outcome.Swapped, outcome.Version));
        Assert.False(old.Released.IsCompleted); // a request still holds it
        lease.Dispose();
        await old.Released.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(old.TryAcquire());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 calls IAsyncLifetime, not IAsyncDisposable: the folder leaked with the latter.
    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
