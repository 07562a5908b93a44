namespace InverseLearning.Serving.Models.Contract;

/// <summary>
/// Names of the exported model's contract: the graph's inputs and outputs, its files and its metadata keys.
/// The trainer's exporter (InferenceModel, ExportStage) writes them from here: Training references Serving,
/// never the other way round, so the one definition lives on the side both can see.
/// </summary>
public static class ModelContract
{
    public const string UserId = "user_id", ItemId = "item_id";
    public const string Score = "score", UserKnown = "user_known", ItemKnown = "item_known", Catalog = "catalog";
    public const string ModelFileName = "model.onnx", SeenFileName = "seen.parquet";

    public const string ModelKey = "model", MethodKey = "method", UsersKey = "users", ItemsKey = "items",
        MetricsKey = "metrics", CreatedAtKey = "created_at", VersionKey = "version";
}
