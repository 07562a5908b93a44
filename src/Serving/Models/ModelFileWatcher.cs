using InverseLearning.Serving.Models.Repository;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Models;

/// <summary>
/// Reloads the model when its file changes, or when a new version appears in its repository, and says when the model's files are
/// gone (the model keeps serving from memory). File events make it quick; a periodic stamp
/// check catches what events miss (network file systems, editors replacing the folder).
/// A change is acted on once the stamp has stopped moving, so a file still being written
/// is not loaded half-way.
/// </summary>
public sealed class ModelFileWatcher(IOptions<RankingOptions> settings, ModelHost host, ILogger<ModelFileWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);
    private readonly RankingOptions _options = settings.Value;
    private readonly SemaphoreSlim _changed = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.WatchModel) return;
        var source = host.Source;
        var path = source.Describe();
        using var watcher = new FileSystemWatcher(source.WatchDirectory)
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        foreach (var filter in source.WatchFilters) watcher.Filters.Add(filter);
        watcher.Changed += (_, _) => Signal();
        watcher.Created += (_, _) => Signal();
        watcher.Renamed += (_, _) => Signal();
        watcher.Deleted += (_, _) => Signal();
        watcher.EnableRaisingEvents = true;
        logger.LogInformation("Watching {Path} for new models", path);
        string? lastFailure = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(_options.ModelPollInterval, stoppingToken);
                try
                {
                    await WaitUntilSettledAsync(source, stoppingToken);
                    while (_changed.CurrentCount > 0) await _changed.WaitAsync(stoppingToken);
                    await host.ReloadIfChangedAsync(stoppingToken);
                    lastFailure = null;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed check (a folder this user may no longer read, say) must not end the watcher: the host would stop
                    // the server. Said once while it fails the same way, not at every poll.
                    if (e.Message != lastFailure)
                        logger.LogError("Checking {Path} for a new model failed: {Reason}; the current model keeps serving", path, e.Message.TrimEnd('.'));
                    lastFailure = e.Message;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private void Signal()
    {
        if (_changed.CurrentCount == 0) _changed.Release();
    }

    private static async Task WaitUntilSettledAsync(ModelSource source, CancellationToken cancellationToken)
    {
        var stamp = source.Stamp();
        while (true)
        {
            await Task.Delay(Settle, cancellationToken);
            var next = source.Stamp();
            if (next == stamp) return;
            stamp = next;
        }
    }
}
