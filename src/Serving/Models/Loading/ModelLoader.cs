using InverseLearning.Data;
using InverseLearning.Serving.Devices;
using InverseLearning.Serving.Models.Contract;
using InverseLearning.Serving.Models.Repository;
using InverseLearning.Serving.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Serving.Models.Loading;

/// <summary>
/// Turns a model file (and its repository manifest and seen list) into a <see cref="LoadedModel"/>:
/// the bytes are read and verified, the session opened, the ONNX contract checked
/// (<see cref="OnnxContract"/>), and a probe scored through the new batcher. Anything wrong is a
/// <see cref="ModelLoadException"/> naming the file; a device that cannot score at all, a <see cref="DeviceUnavailableException"/>.
/// </summary>
public static class ModelLoader
{
    private const int ProbeItems = 16;

    /// <summary>Loads and checks a model file: it must open, have the contract's inputs and outputs, read its catalogue and score a probe sanely.</summary>
    public static Task<LoadedModel> LoadAsync(string path, RankingOptions options, IBatchObserver observer, CancellationToken cancellationToken = default) =>
        LoadAsync(ModelLocation.ForFile(path), options, observer, cancellationToken);

    /// <summary>
    /// Loads a model and its seen list from one <paramref name="location"/>; a repository
    /// version's files must also match its manifest, so model and seen list are that version's.
    /// </summary>
    public static async Task<LoadedModel> LoadAsync(ModelLocation location, RankingOptions options, IBatchObserver observer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await LoadCheckedAsync(location, options, observer, cancellationToken);
        }
        // A failure the checks did not foresee is still this version's: start skips it for an older one, a reload is refused
        // (422, not a 500 with a stack trace), both naming the file, where it would otherwise stop the server or the request.
        catch (Exception e) when (e is not ModelLoadException and not DeviceUnavailableException and not OperationCanceledException)
        {
            var what = location.BundleVersion is null ? location.ModelPath : System.IO.Path.GetDirectoryName(location.ModelPath);
            throw new ModelLoadException($"{what}: cannot be loaded ({e.GetType().Name}: {ModelLoadException.FirstLine(e.Message)})", e);
        }
    }

    /// <summary>
    /// A manifest that is not there, or in a folder this user may not read (which hides every file in it): told apart, as the
    /// second is fixed by making the folder readable, not by publishing the version again.
    /// </summary>
    private static ModelLoadException MissingManifest(string manifestPath)
    {
        var folder = System.IO.Path.GetDirectoryName(manifestPath)!;
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator();
            entries.MoveNext();
        }
        catch (UnauthorizedAccessException)
        {
            return new ModelLoadException($"{folder}: the version's folder cannot be read by this user (permission denied); make it readable (chmod a+rx) and it is tried again");
        }
        catch (IOException)
        {
            // Gone meanwhile, or not a folder: the manifest is missing either way.
        }
        return NotThereYet(manifestPath, "manifest not found; the version is incomplete");
    }

    /// <summary>A file of a version missing: refused as it is when asked for, waited for while the copy that fills the folder goes on.</summary>
    private static IncompleteVersionException NotThereYet(string path, string problem) =>
        new($"{path}: {problem}", $"{path} is not there yet");

    private static async Task<LoadedModel> LoadCheckedAsync(ModelLocation location, RankingOptions options, IBatchObserver observer, CancellationToken cancellationToken)
    {
        var path = location.ModelPath;
        var manifest = location.ManifestPath is { } manifestPath
            ? File.Exists(manifestPath) ? ReadManifest(manifestPath) : throw MissingManifest(manifestPath)
            : null;
        // A folder copied under another number would be served, and pruned by, a version it is not.
        if (manifest is not null && location.BundleVersion is { } folderVersion && manifest.Version != folderVersion)
            throw new ModelLoadException($"{location.ManifestPath}: the manifest is version {manifest.Version}'s, in the folder of version {folderVersion}; a version is published by export --repository, not copied");
        var directory = System.IO.Path.GetDirectoryName(path)!;
        var bytes = await ReadAsync(path, "model file (model.onnx)", manifest, cancellationToken)
            ?? throw (manifest is null ? new ModelLoadException($"{path}: model file not found") : NotThereYet(path, "model file not found"));
        manifest?.Verify(directory, ModelContract.ModelFileName, bytes);
        var seenBytes = await ReadAsync(location.SeenPath, "seen-items log (seen.parquet)", manifest, cancellationToken);
        if (seenBytes is null && manifest?.Files.ContainsKey(ModelContract.SeenFileName) == true)
            throw NotThereYet(location.SeenPath, "listed in the manifest but missing");
        if (seenBytes is not null) manifest?.Verify(directory, ModelContract.SeenFileName, seenBytes);

        var session = Open(path, bytes, options);
        LoadedModel model;
        try
        {
            OnnxContract.CheckSignature(path, session);
            var catalog = OnnxContract.ReadCatalog(path, session);
            var info = OnnxContract.ReadInfo(path, session, catalog.Length);
            var seen = seenBytes is null ? null : await SeenItems.ReadAsync(seenBytes, location.SeenPath, cancellationToken);
            var stamp = ExportStamp.InModel(path, bytes);
            if (seen is not null) ExportStamp.Check(path, stamp, location.SeenPath, seen.ExportStamp);
            var batcher = new ScoringBatcher(session, options.MaxBatchRows, TimeSpan.FromMicroseconds(options.MaxWaitMicroseconds), options.MaxQueuedRequests, observer);
            model = new LoadedModel(path, location.BundleVersion, session, batcher, catalog, seen, info);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        try
        {
            await ProbeAsync(model, cancellationToken);
            return model;
        }
        catch
        {
            await model.FreeAsync();
            throw;
        }
    }

    /// <summary>
    /// The manifest, unless it is no input file (<see cref="InputFile.Problem"/>: empty, a named pipe, whose opening waits for a writer
    /// for ever, or a device, which may never end, directly or through a link), or longer than a manifest can be.
    /// </summary>
    private static BundleManifest ReadManifest(string path)
    {
        if (InputFile.Problem(path, expected: $"the bundle's manifest ({BundleManifest.FileName})") is { } problem) throw new ModelLoadException($"{path}: {problem}");
        var length = FinalFile.At(path).Length;
        if (length > BundleManifest.MaxBytes)
            throw new ModelLoadException($"{path}: the manifest is {length:N0} bytes, over the {BundleManifest.MaxBytes:N0}-byte cap for a manifest; not read");
        return BundleManifest.Read(path);
    }

    /// <summary>A file's bytes, or null when it does not exist; a repository version's must have the length its manifest lists.</summary>
    private static async Task<byte[]?> ReadAsync(string path, string what, BundleManifest? manifest, CancellationToken cancellationToken)
    {
        // Path.Exists is true of a link to nothing, whose read would look like a file pruned after the look: the model would be served without it.
        if (!Path.Exists(path)) return null;
        // Checked, through any link, before it is opened: opening a named pipe (which reports no length) waits for a writer for ever,
        // and a device (no length either) may never end.
        if (InputFile.Problem(path, expected: $"the {what}") is { } problem) throw new ModelLoadException($"{path}: {problem}");
        var length = FinalFile.At(path).Length;
        manifest?.RequireLength(Path.GetDirectoryName(path)!, Path.GetFileName(path), length);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null; // pruned between the look and the read
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"{path}: cannot read the {what} ({e.Message})", e);
        }
    }

    private static async Task ProbeAsync(LoadedModel model, CancellationToken cancellationToken)
    {
        var items = new ArraySegment<long>(model.Catalog, 0, Math.Min(ProbeItems, model.Catalog.Length));
        ScoreResult probe;
        try
        {
            probe = await model.ProbeAsync(items, cancellationToken);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException)
        {
            throw new ModelLoadException($"{model.Path}: the model fails to score a probe ({ModelLoadException.FirstLine(e.Message)})", e);
        }
        for (var i = 0; i < probe.Scores.Length; i++)
        {
            if (!(probe.Scores[i] is >= 0f and <= 1f))
                throw new ModelLoadException($"{model.Path}: probe score {probe.Scores[i]} for item {items[i]} is not a probability in [0, 1]");
            if (!probe.ItemKnown[i])
                throw new ModelLoadException($"{model.Path}: catalogue item {items[i]} is reported unknown by '{ModelContract.ItemKnown}'");
        }
    }

    private static InferenceSession Open(string path, byte[] bytes, RankingOptions options)
    {
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // The scorer binds host buffers either way: with CUDA, ORT copies a batch's inputs up and its scores down,
        // while the model's tables, initializers, stay on the GPU from here on.
        if (options.Device == "cuda") CudaProvider.Append(sessionOptions);
        try
        {
            return new InferenceSession(bytes, sessionOptions);
        }
        // No GPU, or too old a driver, shows only once a session is created.
        catch (OnnxRuntimeException e) when (options.Device == "cuda" && CudaProvider.StartFailure(e.Message) is { } failure)
        {
            throw new DeviceUnavailableException(failure);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"{path}: not a loadable ONNX model ({ModelLoadException.FirstLine(e.Message)})", e);
        }
    }
}
