namespace InverseLearning.Data;

/// <summary>The column names of the interaction log's Parquet schema.</summary>
public static class InteractionLogSchema
{
    public const string UserId = "user_id";
    public const string ItemId = "item_id";
    public const string Timestamp = "timestamp";
    public const string PlayTime = "play_time_ms";
    public const string Duration = "duration_ms";
    public const string Rating = "rating";
    public const string Like = "like";
    public const string Hate = "hate";
    public const string Split = "split";

    public static string SplitName(SplitTag tag) => tag switch
    {
        SplitTag.Train => "train",
        SplitTag.Valid => "valid",
        SplitTag.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(tag), "a written split column needs every row assigned to train, valid or test"),
    };

    /// <summary>Parses a split name (case-insensitive, surrounding blanks ignored); Unassigned when it is none of them.</summary>
    public static SplitTag ParseSplit(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "train" => SplitTag.Train,
        "valid" or "validation" => SplitTag.Valid,
        "test" => SplitTag.Test,
        _ => SplitTag.Unassigned,
    };
}
