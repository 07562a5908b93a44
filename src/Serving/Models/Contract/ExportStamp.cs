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

    /// <summary>A stamp for one export's two files.</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>Throws a <see cref="ModelLoadException"/> naming both files when their stamps differ (none on both sides: an export from before the stamp).</summary>
    public static void Check(string modelPath, string? modelStamp, string seenPath, string? seenStamp)
    {
        if (modelStamp == seenStamp) return;
        throw new ModelLoadException(
            $"{seenPath}: the seen-items log was exported with another model than {modelPath} (its export stamp is {seenStamp ?? "none"}, the model's {modelStamp ?? "none"}); serve the seen.parquet exported with the model");
    }
}
