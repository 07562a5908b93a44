using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving;

/// <summary>
/// Owns the model being served and swaps it without downtime: a new file is loaded and
/// checked aside, then published with one atomic exchange; requests that started on the
/// old model hold a lease on it and finish there. A file that fails its checks is logged
/// and the old model keeps serving.
/// </summary>
public sealed class ModelHost(RankingOptions options, ServingMetrics metrics, ILogger<ModelHost> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private LoadedModel? _current;
    private FileStamp? _lastAttempt;

    public LoadedModel Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("no model loaded yet");

    /// <summary>Loads the model the server starts with; a bad file is a <see cref="ModelLoadException"/>.</summary>
    public async Task LoadInitialAsync(CancellationToken cancellationToken)
    {
        _lastAttempt = FileStamp.Of(options.ModelPath);
        var model = await LoadedModel.LoadAsync(options.ModelPath, options, metrics, cancellationToken);
        Volatile.Write(ref _current, model);
        metrics.ModelServing(model.Version);
        logger.LogInformation("Serving model {Version} ({Model}, {Method}) from {Path}: {Users} users, {Items} items, seen items {Seen}",
            model.Version, model.Info.Model, model.Info.Method, model.Path, model.Info.Users, model.Info.Items,
            model.Seen is null ? "absent" : $"{model.Seen.Rows} rows");
    }

    /// <summary>A hold on the current model for one request; dispose it when the request is done.</summary>
    public ModelLease Acquire()
    {
        while (true)
        {
            var model = Current;
            if (model.TryAcquire()) return new ModelLease(model);
            // It was swapped out and released between the read and the acquire: the new one is published already.
        }
    }

    /// <summary>Reloads when the file's stamp differs from the last attempt (so a broken file is tried once, not on every poll).</summary>
    public async Task<ReloadOutcome?> ReloadIfChangedAsync(CancellationToken cancellationToken)
    {
        var stamp = FileStamp.Of(options.ModelPath);
        if (stamp is null || stamp == _lastAttempt) return null;
        return await ReloadAsync(cancellationToken);
    }

    /// <summary>Loads the model file afresh and swaps it in if it passes its checks.</summary>
    public async Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            _lastAttempt = FileStamp.Of(options.ModelPath);
            var old = Current;
            LoadedModel fresh;
            try
            {
                fresh = await LoadedModel.LoadAsync(options.ModelPath, options, metrics, cancellationToken);
            }
            catch (ModelLoadException e)
            {
                metrics.ModelReloaded(false);
                logger.LogError("Model reload refused, still serving {Version}: {Reason}", old.Version, e.Message);
                return new ReloadOutcome(false, old.Version, e.Message);
            }
            Interlocked.Exchange(ref _current, fresh);
            old.Release();
            metrics.ModelReloaded(true);
            metrics.ModelServing(fresh.Version);
            logger.LogInformation("Swapped model {OldVersion} for {Version} ({Model}, {Method}, {Items} items) from {Path}",
                old.Version, fresh.Version, fresh.Info.Model, fresh.Info.Method, fresh.Info.Items, fresh.Path);
            return new ReloadOutcome(true, fresh.Version, null);
        }
        finally
        {
            _reloading.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        var model = Interlocked.Exchange(ref _current, null);
        if (model is null) return;
        model.Release();
        await model.Released;
    }
}
