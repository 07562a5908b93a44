using System.Globalization;
using InverseLearning.Serving.Models.Loading;
using InverseLearning.V1;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InverseLearning.Serving.Models.Contract;

/// <summary>What an ONNX session must offer to be served: the exported model's inputs and outputs, a catalogue, readable metadata.</summary>
internal static class OnnxContract
{
    public static void CheckSignature(string path, InferenceSession session)
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
    public static long[] ReadCatalog(string path, InferenceSession session)
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
            if (RepeatedId(catalog) is { } repeated)
                throw new ModelLoadException($"{path}: the catalogue lists item {repeated} more than once; Recommend would rank it twice");
            return catalog;
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"{path}: cannot read the catalogue ({ModelLoadException.FirstLine(e.Message)})", e);
        }
    }

    /// <summary>
    /// The smallest id <paramref name="catalog"/> holds more than once, or null. Found in a sorted copy: a hash set of a catalogue of
    /// millions would take several times its memory at every load.
    /// </summary>
    private static long? RepeatedId(long[] catalog)
    {
        var sorted = catalog.ToArray();
        Array.Sort(sorted);
        for (var i = 1; i < sorted.Length; i++)
            if (sorted[i] == sorted[i - 1]) return sorted[i];
        return null;
    }

    public static ModelInfo ReadInfo(string path, InferenceSession session, int catalogSize)
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
}
