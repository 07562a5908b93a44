using InverseLearning.Data;
using InverseLearning.Serving.Devices;
using InverseLearning.Serving.Models.Loading;
using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Models.Repository;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Models;

/// <summary>
/// Owns the model being served and swaps it without downtime: a new model is loaded and
/// checked aside, then published with one atomic exchange; requests that started on the
/// old model hold a lease on it and finish there. A model that fails its checks is logged
/// and the old one keeps serving. With a repository, a swap may prune old versions.
/// </summary>
public sealed class ModelHost(IOptions<RankingOptions> settings, ServingMetrics metrics, ILogger<ModelHost> logger) : IAsyncDisposable
{
    private readonly RankingOptions _options = settings.Value;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly ModelSource _source = ModelSource.From(settings.Value);
    private LoadedModel? _current;
    private string? _lastAttempt;
    private string? _lastLoss;
    private string? _lastPruneFailure;
    private readonly HashSet<string> _toldNotVersions = [];
    private int? _incompleteVersion;
    private string? _incompleteStamp;
    private IReadOnlySet<string> _versionsBesideServed = new HashSet<string>();
    private readonly HashSet<string> _refusedStamps = [];
    private long _loadsEnded;

    public LoadedModel Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("no model loaded yet");

    public ModelSource Source => _source;

    /// <summary>How many loads have ended, loaded or refused: each a burst of memory (the files' bytes, their decoding) to give back.</summary>
    public long LoadsEnded => Interlocked.Read(ref _loadsEnded);

    private async Task<LoadedModel> LoadAsync(ModelLocation candidate, CancellationToken cancellationToken)
    {
        try
        {
            return await ModelLoader.LoadAsync(candidate, _options, metrics, cancellationToken);
        }
        finally
        {
            Interlocked.Increment(ref _loadsEnded);
        }
    }

    /// <summary>
    /// A --model-dir that is one version of a repository (`repo/208`, holding its model.onnx), not the repository: told to give the
    /// repository or the model itself, where "no model versions yet" alone read as an empty repository.
    /// </summary>
    private static string VersionFolderAdvice(string repository)
    {
        var folder = Path.TrimEndingDirectorySeparator(repository);
        return int.TryParse(Path.GetFileName(folder), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
            && File.Exists(Path.Combine(folder, "model.onnx"))
            ? $"; {folder} is itself a version of a repository: give --model-dir {Path.GetDirectoryName(folder)}, or --model {Path.Combine(folder, "model.onnx")}"
            : "";
    }

    /// <summary>
    /// Loads the model the server starts with: the file, or the newest repository version that
    /// passes its checks (a broken newer one is logged and skipped). None is a <see cref="ModelLoadException"/>.
    /// </summary>
    public async Task LoadInitialAsync(CancellationToken cancellationToken)
    {
        _lastAttempt = _source.Stamp();
        var candidates = _source.Candidates();
        if (candidates.Count == 0)
            throw new ModelLoadException($"{_source.Repository}: no model versions yet (expected numbered folders 1/, 2/, … as `export --repository` writes them)"
                + string.Concat(NotVersions().Select(entry => $"; {entry.Name} is none: {entry.Why}")) + (_source.Repository is { } given ? VersionFolderAdvice(given) : ""));
        TellNotVersions();
        var skipped = new List<(int? Version, ModelLoadException Error)>();
        foreach (var candidate in candidates)
        {
            try
            {
                var model = await LoadAsync(candidate, cancellationToken);
                // Told once an older version serves: with none that loads, the start's one error line names them all instead.
                foreach (var (version, error) in skipped) logger.LogError("Skipping version {Version}: {Reason}", version, error.Message);
                Volatile.Write(ref _current, model);
                NoteVersionsBesideServed(candidates);
                metrics.ModelServing(model);
                logger.LogInformation("Serving model {Version} ({Model}, {Method}) from {Path}: {Users} users, {Items} items, seen items {Seen}",
                    model.Version, model.Info.Model, model.Info.Method, model.Path, model.Info.Users, model.Info.Items,
                    model.Seen is null ? "absent" : $"{model.Seen.Rows} rows");
                return;
            }
            catch (ModelLoadException e) when (_source.IsRepository)
            {
                _refusedStamps.Add(candidate.Stamp);
                skipped.Add((candidate.BundleVersion, e));
            }
        }
        throw skipped is [var (_, only)] ? only
            : new ModelLoadException($"{_source.Repository}: no version loads; {string.Join("; ", skipped.Select(s => $"version {s.Version}: {s.Error.Message}"))}", skipped[0].Error);
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

    /// <summary>Reloads when the source's stamp differs from the last attempt (so a broken model is tried once, not on every poll).</summary>
    public async Task<ReloadOutcome?> ReloadIfChangedAsync(CancellationToken cancellationToken)
    {
        TellNotVersions();
        var stamp = _source.Stamp();
        if (stamp is null)
        {
            // Told once: the served model lives on in memory, but nothing is left to restart with. (A reload tried since,
            // POST /admin/reload, records the missing file's empty stamp: it said so itself.)
            if (_lastAttempt is { Length: > 0 })
                logger.LogWarning("{Path} holds no model any more; model {Version} keeps serving from memory, and a restart would find none to load",
                    _source.Describe(), Current.Version);
            _lastAttempt = null;
            return null;
        }
        if (stamp == _lastAttempt)
        {
            // The source's stamp is its newest version's: one refused above the served one stays the newest, unchanged, while the
            // served folder below it is deleted. Looked at here too (a folder's existence), so that loss is told all the same.
            if (_lastLoss is null && ServedFolderGone()) TellLoss(_source.Candidates());
            return null;
        }
        var candidates = _source.Candidates();
        NoteVersionsBesideServed(candidates);
        if (TellLoss(candidates))
        {
            _lastAttempt = stamp;
            return null;
        }
        // Forgotten only once the loss is over: a version folder renamed above the lost one (its reload refused, say) leaves it
        // lost, and renamed back below it is no news to tell again.
        if (!ServedFolderGone()) _lastLoss = null;
        var outcome = await ReloadAsync(patient: true, cancellationToken);
        // A newest version published as the served folder was deleted, and refused: the loss is told now, not at the next look.
        if (outcome is { Swapped: false } && ServedFolderGone()) TellLoss(_source.Candidates());
        return outcome;
    }

    /// <summary>
    /// Tells what was lost of the served model (<see cref="LostFromServed"/>), if anything: a file of it (deleted, a link to nothing,
    /// made a folder), or its version's whole folder. The same news as a deleted --model, told once, not a reload that failed nor a
    /// swap back to an older version; said again only when what was lost changes (other files of the version may come and go).
    /// </summary>
    /// <returns>Whether something was lost.</returns>
    private bool TellLoss(IReadOnlyList<ModelLocation> candidates)
    {
        if (LostFromServed(candidates) is not var (lost, restart)) return false;
        if (lost != _lastLoss)
            logger.LogWarning("{Lost}; model {Version} keeps serving from memory, and a restart would load {Restart}", lost, Current.Version, restart);
        _lastLoss = lost;
        return true;
    }

    /// <summary>The folders named like a version that are none (`007/`), and the entries named as one that are no folder (a link to nothing).</summary>
    private IReadOnlyList<(string Name, string Why)> NotVersions() => _source.Repository is { } repository
        ? [.. NumberedFolder.NumberLikeFolders(repository).Select(folder => ($"{folder.Name}/", folder.Why)), .. NumberedFolder.VersionNamedNonFolders(repository)]
        : [];

    /// <summary>Warns of each entry named like a version that is none, once: it is passed over, as a version meant would be.</summary>
    private void TellNotVersions()
    {
        foreach (var (name, why) in NotVersions())
            if (_toldNotVersions.Add(name))
                logger.LogWarning("{Folder} in {Repository} is not a model version ({Why}); it is not loaded", name, _source.Repository, why);
    }

    /// <summary>
    /// Remembers the versions beside the served one while its folder is among <paramref name="candidates"/>: once it is gone, these
    /// are the versions that were there with it, and any other was published (or changed) since.
    /// </summary>
    private void NoteVersionsBesideServed(IReadOnlyList<ModelLocation> candidates)
    {
        var served = Current;
        if (served.BundleVersion is not null && candidates.Any(candidate => candidate.ModelPath == served.Path))
            _versionsBesideServed = candidates.Select(candidate => candidate.Stamp).ToHashSet();
    }

    /// <summary>
    /// What was lost of the served model, and what a restart would load instead: one of its files, when the newest of
    /// <paramref name="candidates"/> is it, or its version's folder (deleted or renamed away), when the newest is a version that
    /// was there before; null when nothing was, or when a version published since is there to load, whatever its number (a
    /// repository emptied and published into again starts from 1).
    /// </summary>
    private (string What, string Restart)? LostFromServed(IReadOnlyList<ModelLocation> candidates)
    {
        if (candidates is not [var newest, ..]) return null;
        var served = Current;
        if (newest.ModelPath == served.Path)
            return Lost(newest, seenListRequired: newest.ManifestPath is not null || served.Seen is not null) is var (file, what)
                ? (what, _source.IsRepository ? "an older version, if any" : RestartWithout(newest, file))
                : null;
        // Only an explicit POST /admin/reload loads the older version: a folder moved aside, or deleted to free disk, is no
        // request to roll back, as a deleted model.onnx is none.
        // A newest version refused is no successor either: published in the same step as the served folder was deleted (export
        // --keep-versions 1 does both), it was no loss to tell before, and a restart fails on it.
        if (served.BundleVersion is { } version && _source.Repository is { } repository
            && candidates.All(candidate => candidate.ModelPath != served.Path)
            && (_versionsBesideServed.Contains(newest.Stamp) || _refusedStamps.Contains(newest.Stamp)))
            return ($"{ModelRepository.VersionDirectory(repository, version)} was deleted or renamed", RestartAmong(candidates));
        return null;
    }

    /// <summary>What a restart would load from <paramref name="candidates"/>, which lack the served version: the newest not refused, if any.</summary>
    private string RestartAmong(IReadOnlyList<ModelLocation> candidates) =>
        candidates.FirstOrDefault(candidate => !_refusedStamps.Contains(candidate.Stamp)) is { } loadable
            ? loadable == candidates[0]
                ? $"version {loadable.BundleVersion}, the newest left (or an older one, if it fails its checks)"
                : $"version {loadable.BundleVersion}, the newest left not refused (or an older one, if it fails its checks)"
            : $"none: every version left was refused ({string.Join(", ", candidates.Select(candidate => candidate.BundleVersion))})";

    /// <summary>
    /// What a restart would load once a --model's <paramref name="lostFile"/> is lost: the model without a seen list, once the seen
    /// list is deleted (it is optional); none, once it is anything else that is not a file (refused as it is) or the model itself is lost.
    /// </summary>
    private static string RestartWithout(ModelLocation location, string lostFile) =>
        lostFile == location.SeenPath && !Path.Exists(lostFile) ? $"{location.ModelPath} without a seen list" : "none";

    /// <summary>Whether the served model's version folder is gone from the repository.</summary>
    private bool ServedFolderGone() =>
        Current.BundleVersion is { } version && _source.Repository is { } repository && !Directory.Exists(ModelRepository.VersionDirectory(repository, version));

    /// <summary>
    /// The first of <paramref name="location"/>'s files that is no longer a file to read, and what became of it; null when none. The seen list
    /// counts when <paramref name="seenListRequired"/>: a repository version's is part of it, and a --model's, optional, is part of the
    /// model served once it was loaded with one.
    /// </summary>
    private static (string File, string What)? Lost(ModelLocation location, bool seenListRequired)
    {
        foreach (var path in new[] { location.ModelPath, location.ManifestPath, location.SeenPath })
        {
            if (path is null || (path == location.SeenPath && !seenListRequired)) continue;
            if (Directory.Exists(path)) return (path, $"{path} is now a folder, not a file");
            if (!File.Exists(path)) return (path, $"{path} was deleted");
            // A link to a folder was told above: a link that leads on to something here leads to a file.
            if (new FileInfo(path).LinkTarget is { } leadsTo && BrokenLink.At(path) is not null) return (path, $"{path} is a link to {leadsTo}, which leads to no file");
        }
        return null;
    }

    /// <summary>Loads the file (or the newest version) afresh and swaps it in if it passes its checks.</summary>
    public async Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken) => (await ReloadAsync(patient: false, cancellationToken))!;

    /// <param name="patient">
    /// A watcher's look: a version found still being copied in (<see cref="IncompleteVersionException"/>) and changed since the look
    /// before is waited for (null), not refused; asked for (POST /admin/reload), it is refused as it is.
    /// </param>
    private async Task<ReloadOutcome?> ReloadAsync(bool patient, CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            var old = Current;
            IReadOnlyList<ModelLocation> candidates;
            try
            {
                candidates = _source.Candidates();
            }
            // A repository this user may no longer list: a refused reload (POST /admin/reload answers 422), not a server fault.
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Refused(old, e.Message.TrimEnd('.'));
            }
            if (candidates.Count == 0)
                return Refused(old, $"{_source.Repository}: no model versions");
            var candidate = candidates[0];
            var lastAttempt = _lastAttempt;
            _lastAttempt = candidate.Stamp;
            LoadedModel fresh;
            try
            {
                fresh = await LoadAsync(candidate, cancellationToken);
            }
            // Copied into place (cp -r, rsync), not renamed in whole: a file not there yet or still short of its manifest's length, and
            // changed since the look before, is no failed reload but one to wait for, told once. Looked at again at the next poll (the last attempt
            // is put back), it is refused there if it has not changed: stopped short.
            catch (IncompleteVersionException e) when (patient && candidate.Stamp != _incompleteStamp)
            {
                if (candidate.BundleVersion != _incompleteVersion)
                    logger.LogInformation("Version {Version} of {Repository} is not complete yet ({Progress}); waiting for the rest, and refusing it if it stops short",
                        candidate.BundleVersion, _source.Repository, e.Progress);
                _incompleteVersion = candidate.BundleVersion;
                _incompleteStamp = candidate.Stamp;
                _lastAttempt = lastAttempt;
                return null;
            }
            // The device served the old model, so one failing now (a GPU gone) refuses the swap and the old model keeps serving.
            catch (Exception e) when (e is ModelLoadException or DeviceUnavailableException)
            {
                // Remembered while it is there: a restart would refuse it too.
                _refusedStamps.IntersectWith(candidates.Select(location => location.Stamp));
                if (e is ModelLoadException) _refusedStamps.Add(candidate.Stamp);
                return Refused(old, e.Message);
            }
            // Logged before the swap shows, which nothing can stop now: whoever sees the new version finds its log lines written.
            logger.LogInformation("Swapped model {OldVersion} for {Version} ({Model}, {Method}, {Items} items) from {Path}",
                old.Version, fresh.Version, fresh.Info.Model, fresh.Info.Method, fresh.Info.Items, fresh.Path);
            if (fresh.Catalog.Length != old.Catalog.Length)
                logger.LogWarning("The new model {Version} has a different catalogue: {Items} items, where {OldVersion} had {OldItems}",
                    fresh.Version, fresh.Catalog.Length, old.Version, old.Catalog.Length);
            Interlocked.Exchange(ref _current, fresh);
            NoteVersionsBesideServed(candidates);
            old.Release();
            metrics.ModelReloaded(true);
            metrics.ModelServing(fresh);
            Prune(fresh);
            return new ReloadOutcome(true, fresh.Version, null);
        }
        finally
        {
            _reloading.Release();
        }
    }

    private ReloadOutcome Refused(LoadedModel old, string reason)
    {
        metrics.ModelReloaded(false);
        logger.LogError("Model reload refused, still serving {Version}: {Reason}", old.Version, reason);
        return new ReloadOutcome(false, old.Version, reason);
    }

    private void Prune(LoadedModel serving)
    {
        if (_options.KeepVersions < 1 || _source.Repository is not { } repository) return;
        var outcome = ModelRepository.Prune(repository, _options.KeepVersions, serving.BundleVersion);
        if (outcome.Removed.Count > 0)
            logger.LogInformation("Pruned model versions {Versions} from {Repository}, keeping the {Keep} newest", string.Join(", ", outcome.Removed), repository, _options.KeepVersions);
        // Every swap prunes again and, on a read-only volume, fails again with one more version: warned once per cause, not per swap.
        var cause = outcome.Cause is { } e ? $"{e.GetType().FullName}/{e.HResult}" : null;
        if (cause is not null && cause != _lastPruneFailure)
            logger.LogWarning("Cannot prune model versions {Versions} from {Repository} for --keep-versions {Keep}: {Reason}; they stay (warned once per cause)",
                string.Join(", ", outcome.Stuck), repository, _options.KeepVersions, outcome.Cause!.Message);
        _lastPruneFailure = cause;
    }

    public async ValueTask DisposeAsync()
    {
        var model = Interlocked.Exchange(ref _current, null);
        if (model is null) return;
        model.Release();
        await model.Released;
    }
}
