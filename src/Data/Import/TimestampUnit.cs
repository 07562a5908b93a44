namespace InverseLearning.Data.Import;

/// <summary>The unit of the timestamp field in a ratings file (MovieLens uses seconds); logs store milliseconds.</summary>
public enum TimestampUnit
{
    Seconds,
    Milliseconds,
}
