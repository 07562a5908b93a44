namespace InverseLearning.Serving.Models.Contract;

/// <summary>
/// Names of the exported model's contract (see the training side's InferenceModel): Serving
/// must not reference Training, so the names are restated here and the tests check both agree.
/// </summary>
public static class ModelContract
{
    public const string UserId = "user_id", ItemId = "item_id";
    public const string Score = "score", UserKnown = "user_known", ItemKnown = "item_known", Catalog = "catalog";
    public const string ModelFileName = "model.onnx", SeenFileName = "seen.parquet";

    public const string ModelKey = "model", MethodKey = "method", UsersKey = "users", ItemsKey = "items",
        MetricsKey = "metrics", CreatedAtKey = "created_at", VersionKey = "version";
}
