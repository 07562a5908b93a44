using System.Globalization;

namespace InverseLearning.Data;

/// <summary>
/// The valid rating range import-ratings read a log with, kept in the log's Parquet footer, so that every later read takes it
/// as its own when --rating-min and --rating-max are not given (a log imported from 0.5–10 stars is not refused as outside 1–5).
/// </summary>
public static class RecordedRatingRange
{
    /// <summary>The footer key; its value is "MIN,MAX" (invariant culture, round-trip format).</summary>
    public const string Key = "inverselearning.rating_range";

    public static IReadOnlyDictionary<string, string> Metadata(float min, float max) =>
        new Dictionary<string, string> { [Key] = string.Create(CultureInfo.InvariantCulture, $"{min:R},{max:R}") };

    /// <summary>The range <paramref name="metadata"/> records (null when it records none); a value that is not two finite numbers in order is refused naming <paramref name="path"/>.</summary>
    public static (float Min, float Max)? In(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(Key, out var value)) return null;
        var bounds = value.Split(',');
        if (bounds.Length == 2 && float.TryParse(bounds[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && float.TryParse(bounds[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            && float.IsFinite(min) && float.IsFinite(max) && min <= max)
            return (min, max);
        throw new DataException($"{path}: footer key '{Key}' holds '{TerminalText.Safe(value)}'; expected the rating range as MIN,MAX (the file is damaged; give --rating-min and --rating-max to read it)");
    }
}
