using System.Globalization;

namespace InverseLearning.Data;

/// <summary>A count with its noun in the number the count asks for, for lines a user reads: "1 run", "3 runs", "1,200 ratings".</summary>
public static class Counted
{
    /// <summary>The count (with thousands separators) and <paramref name="one"/>, or <paramref name="many"/> (default: <paramref name="one"/> + "s") unless the count is 1.</summary>
    public static string Of(long count, string one, string? many = null) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? one : many ?? one + "s")}";
}
