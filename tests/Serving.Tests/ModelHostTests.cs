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

    private ModelHost RepositoryHost(string repository, CapturedLogs logs) => new(Options.Create(new RankingOptions { ModelDirectory = repository }),
        new ServingMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), new CallGauge()),
        new Microsoft.Extensions.Logging.Logger<ModelHost>(new Microsoft.Extensions.Logging.LoggerFactory([logs])));

    [Fact]
    public async Task A_repository_of_folders_named_like_versions_that_are_none_names_them_and_why()
    {
        var repository = Directory.CreateDirectory(Path.Combine(_folder, "repository")).FullName;
        Directory.CreateDirectory(Path.Combine(repository, "0"));
        Directory.CreateDirectory(Path.Combine(repository, "007"));
        await using var host = RepositoryHost(repository, new CapturedLogs());

        var error = await Assert.ThrowsAsync<Models.Loading.ModelLoadException>(() => host.LoadInitialAsync(CancellationToken.None));

        Assert.Contains("no model versions yet", error.Message);
        Assert.Contains("0/ is none: versions are numbered from 1", error.Message);
        Assert.Contains("007/ is none: a version number has no leading zeros (version 7 is the folder 7/)", error.Message);
    }

    [Fact]
    public async Task Each_folder_named_like_a_version_that_is_none_is_warned_of_once()
    {
        var repository = Path.Combine(_folder, "repository");
        First.Publish(repository, []);
        string[] odd = ["-5", "007", "2147483648", "9223372036854775808"];
        foreach (var name in odd) Directory.CreateDirectory(Path.Combine(repository, name));
        var logs = new CapturedLogs();
        await using var host = RepositoryHost(repository, logs);

        await host.LoadInitialAsync(CancellationToken.None);
        await host.ReloadIfChangedAsync(CancellationToken.None);

        var warnings = logs.Lines.Where(line => line.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(line => line.Message).ToList();
        Assert.Equal(odd.Length, warnings.Count);
        Assert.All(odd, name => Assert.Single(warnings, warning => warning.StartsWith($"{name}/ in {repository} is not a model version (", StringComparison.Ordinal)));
        Assert.Contains(warnings, warning => warning.Contains("-5/") && warning.Contains("a version number has no sign"));
        Assert.Contains(warnings, warning => warning.Contains("2147483648/") && warning.Contains("past 2147483647, the largest version number"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 calls IAsyncLifetime, not IAsyncDisposable: the folder leaked with the latter.
    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
