using InverseLearning.Serving.Models.Loading;

namespace InverseLearning.Serving.Models.Contract;

/// <summary>
/// Which export wrote a model.onnx and its seen.parquet: one random id, kept under <see cref="Key"/> in the model's metadata_props
/// (which any ONNX runtime ignores) and in the seen list's Parquet footer. Another log's seen list passes every other check, and
/// `Recommend(exclude_seen)` would leave out another history; files exported before the stamp hold none on either side.
/// </summary>
public static class ExportStamp
{
    public const string Key = "inverselearning.export";

    /// <summary>
    /// The longest stamp taken. An export writes 32 hex digits; a stamp far longer is no export's, and would be shown whole in the
    /// refusal (a 2 MB one was one log line of 2 MB).
    /// </summary>
    public const int MaxLength = 64;

    /// <summary>A stamp for one export's two files.</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// The model's stamp, read from its bytes (<paramref name="modelBytes"/>); null for a model exported before the stamp. Two
    /// entries are refused: which export the model is cannot be told, and ONNX Runtime would have judged it by one of them.
    /// </summary>
    public static string? InModel(string modelPath, byte[] modelBytes)
    {
        var stamps = OnnxMetadataProps.ValuesOf(modelBytes, Key);
        if (stamps.Count > 1)
            throw new ModelLoadException($"{modelPath}: holds {stamps.Count} '{Key}' entries in its metadata_props, where an export writes one; which export the model is cannot be told");
        return stamps.Count == 1 ? RequireExports(modelPath, stamps[0]) : null;
    }

    /// <summary>Throws a <see cref="ModelLoadException"/> naming both files when their stamps differ (none on both sides: an export from before the stamp).</summary>
    public static void Check(string modelPath, string? modelStamp, string seenPath, string? seenStamp)
    {
        if (seenStamp is not null) RequireExports(seenPath, seenStamp);
        if (modelStamp == seenStamp) return;
        throw new ModelLoadException(
            $"{seenPath}: the seen-items log was exported with another model than {modelPath} (its export stamp is {seenStamp ?? "none"}, the model's {modelStamp ?? "none"}); serve the seen.parquet exported with the model");
    }

    private static string RequireExports(string path, string stamp) => stamp.Length <= MaxLength ? stamp
        : throw new ModelLoadException($"{path}: its export stamp ('{Key}') is {stamp.Length:N0} characters, where an export writes 32 (at most {MaxLength} are taken); not an export's file");
}
