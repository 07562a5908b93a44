using System.Globalization;
using InverseLearning.Serving.Repository;
using InverseLearning.V1;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InverseLearning.Serving;

/// <summary>
/// One exported model ready to serve: its ORT session (created once, shared by all calls),
/// batcher, catalogue, seen items and info. Reference-counted so that a swap lets in-flight
/// requests finish on it: the server holds one reference, each request one more, and the
/// session is freed when the last is released.
/// </summary>
public sealed class LoadedModel
{
    private const int ProbeItems = 16;

    private readonly InferenceSession _session;
    private readonly ScoringBatcher _batcher;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _references = 1;

    private LoadedModel(string path, int? bundleVersion, InferenceSession session, ScoringBatcher batcher, long[] catalog, SeenItems? seen, ModelInfo info)
    {
        Path = path;
        BundleVersion = bundleVersion;
        _session = session;
        _batcher = batcher;
        Catalog = catalog;
        Seen = seen;
        Info = info;
    }

    public string Path { get; }

    /// <summary>The repository version it came from, or null for a model served from a plain file.</summary>
    public int? BundleVersion { get; }
    public ModelInfo Info { get; }
    public string Version => Info.Version;

    /// <summary>Requests waiting for this model's batcher.</summary>
    public int QueuedRequests => _batcher.Queued;

    /// <summary>Every item id the model knows, in the model's order: what Recommend ranks.</summary>
    public long[] Catalog { get; }

    /// <summary>The training log's interactions, or null when no seen.parquet came with the model.</summary>
    public SeenItems? Seen { get; }

    /// <summary>Finishes once the model is retired and its last request has finished.</summary>
    public Task Released => _released.Task;

    public Task<ScoreResult> ScoreAsync(long userId, ReadOnlyMemory<long> items, CancellationToken cancellationToken) =>
        _batcher.ScoreAsync(new[] { userId }, items, cancellationToken);

    /// <summary>Scores each item for its own user (<paramref name="users"/> one per item), in one batch job.</summary>
    public Task<ScoreResult> ScoreRowsAsync(ReadOnlyMemory<long> users, ReadOnlyMemory<long> items, CancellationToken cancellationToken) =>
        _batcher.ScoreAsync(users, items, cancellationToken);

    /// <summary>Loads and checks a model file: it must open, have the contract's inputs and outputs, read its catalogue and score a probe sanely.</summary>
    public static Task<LoadedModel> LoadAsync(string path, RankingOptions options, IBatchObserver observer, CancellationToken cancellationToken = default) =>
        LoadAsync(ModelLocation.ForFile(path), options, observer, cancellationToken);

    /// <summary>
    /// Loads a model and its seen list from one <paramref name="location"/>; a repository
    /// version's files must also match its manifest, so model and seen list are that version's.
    /// </summary>
    public static async Task<LoadedModel> LoadAsync(ModelLocation location, RankingOptions options, IBatchObserver observer, CancellationToken cancellationToken = default)
    {
        var path = location.ModelPath;
        var manifest = location.ManifestPath is { } manifestPath
            ? File.Exists(manifestPath) ? BundleManifest.Read(manifestPath) : throw new ModelLoadException($"{manifestPath}: manifest not found; the version is incomplete")
            : null;
        var directory = System.IO.Path.GetDirectoryName(path)!;
        var bytes = await ReadAsync(path, "model file", cancellationToken)
            ?? throw new ModelLoadException(Directory.Exists(path) ? $"{path}: is a directory, expected the model file (model.onnx)" : $"{path}: model file not found");
        manifest?.Verify(directory, ModelContract.ModelFileName, bytes);
        var seenBytes = await ReadAsync(location.SeenPath, "seen-items log", cancellationToken);
        if (seenBytes is null && manifest?.Files.ContainsKey(ModelContract.SeenFileName) == true)
            throw new ModelLoadException($"{location.SeenPath}: listed in the manifest but missing");
        if (seenBytes is not null) manifest?.Verify(directory, ModelContract.SeenFileName, seenBytes);

        var session = Open(path, bytes, options);
        LoadedModel model;
        try
        {
            CheckSignature(path, session);
            var catalog = ReadCatalog(path, session);
            var info = ReadInfo(path, session, catalog.Length);
            var seen = seenBytes is null ? null : await SeenItems.ReadAsync(new MemoryStream(seenBytes, writable: false), location.SeenPath, cancellationToken);
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
            await model.ProbeAsync(cancellationToken);
            return model;
        }
        catch
        {
            await model.FreeAsync();
            throw;
        }
    }

    /// <summary>A file's bytes, or null when it does not exist.</summary>
    private static async Task<byte[]?> ReadAsync(string path, string what, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) return null;
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

    /// <summary>Takes a reference for one request; false once the model has been fully released.</summary>
    public bool TryAcquire()
    {
        var count = Volatile.Read(ref _references);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, count + 1, count);
            if (seen == count) return true;
            count = seen;
        }
        return false;
    }

    /// <summary>Drops a reference; the last one drains the batcher and frees the session.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) _ = FreeAsync();
    }

    private async Task FreeAsync()
    {
        try
        {
            await _batcher.DrainAsync().ConfigureAwait(false);
        }
        finally
        {
            _session.Dispose();
            _released.TrySetResult();
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var items = Catalog.AsMemory(0, Math.Min(ProbeItems, Catalog.Length));
        ScoreResult probe;
        try
        {
            probe = await ScoreAsync(0, items, cancellationToken);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException)
        {
            throw new ModelLoadException($"{Path}: the model fails to score a probe ({FirstLine(e.Message)})", e);
        }
        for (var i = 0; i < probe.Scores.Length; i++)
        {
            if (!(probe.Scores[i] is >= 0f and <= 1f))
                throw new ModelLoadException($"{Path}: probe score {probe.Scores[i]} for item {items.Span[i]} is not a probability in [0, 1]");
            if (!probe.ItemKnown[i])
                throw new ModelLoadException($"{Path}: catalogue item {items.Span[i]} is reported unknown by '{ModelContract.ItemKnown}'");
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
        try
        {
            return new InferenceSession(bytes, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"{path}: not a loadable ONNX model ({FirstLine(e.Message)})", e);
        }
    }

    private static void CheckSignature(string path, InferenceSession session)
    {
        Expect(path, "input", session.InputMetadata, ModelContract.UserId, TensorElementType.Int64);
        Expect(path, "input", session.InputMetadata, ModelContract.ItemId, TensorElementType.Int64);
        Expect(path, "output", session.OutputMetadata, ModelContract.Score, TensorElementType.Float);
        Expect(path, "output", session.OutputMetadata, ModelContract.UserKnown, TensorElementType.Bool);
        Expect(path, "output", session.OutputMetadata, ModelContract.ItemKnown, TensorElementType.Bool);
        Expect(path, "output", session.OutputMetadata, ModelContract.Catalog, TensorElementType.Int64);
    }

    private static void Expect(string path, string kind, IReadOnlyDictionary<string, NodeMetadata> values, string name, TensorElementType type)
    {
        if (!values.TryGetValue(name, out var meta))
            throw new ModelLoadException($"{path}: {kind} '{name}' is missing; the exported model has inputs user_id, item_id (int64) and outputs score, user_known, item_known, catalog");
        if (!meta.IsTensor || meta.ElementDataType != type || meta.Dimensions.Length != 1)
            throw new ModelLoadException($"{path}: {kind} '{name}' is {meta.ElementDataType} of rank {meta.Dimensions.Length}, expected a 1-D {type} tensor");
    }

    /// <summary>The catalogue is a constant output: zero-length id inputs are enough to read it.</summary>
    private static long[] ReadCatalog(string path, InferenceSession session)
    {
        var empty = new long[1];
        long[] shape = [0];
        try
        {
            using var users = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, empty.AsMemory(0, 0), shape);
            using var items = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, empty.AsMemory(0, 0), shape);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [ModelContract.UserId, ModelContract.ItemId], [users, items], [ModelContract.Catalog]);
            var catalog = outputs[0].GetTensorDataAsSpan<long>().ToArray();
            if (catalog.Length == 0) throw new ModelLoadException($"{path}: the catalogue is empty; the model knows no items to rank");
            return catalog;
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"{path}: cannot read the catalogue ({FirstLine(e.Message)})", e);
        }
    }

    private static ModelInfo ReadInfo(string path, InferenceSession session, int catalogSize)
    {
        var meta = session.ModelMetadata.CustomMetadataMap;
        string Text(string key) => meta.TryGetValue(key, out var value) ? value : "";
        long Count(string key, long fallback)
        {
            if (!meta.TryGetValue(key, out var text)) return fallback;
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ModelLoadException($"{path}: metadata '{key}' is '{text}', expected a whole number");
        }
        var items = Count(ModelContract.ItemsKey, catalogSize);
        if (items != catalogSize)
            throw new ModelLoadException($"{path}: metadata says {items} items but the catalogue holds {catalogSize}");
        var version = Text(ModelContract.VersionKey);
        return new ModelInfo
        {
            Model = Text(ModelContract.ModelKey),
            Method = Text(ModelContract.MethodKey),
            Version = version.Length > 0 ? version : Text(ModelContract.CreatedAtKey),
            Users = Count(ModelContract.UsersKey, 0),
            Items = items,
            MetricsJson = Text(ModelContract.MetricsKey),
        };
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
