using System.Globalization;

namespace InverseLearning.Data;

/// <summary>
/// The days a log is partitioned and split by time in: UTC calendar days, numbered from the
/// Unix epoch (day 0 is 1970-01-01) and named YYYY-MM-DD, as `day=` partitions are.
/// </summary>
public static class UtcDay
{
    private const long Ms = 86_400_000;
    private const string Format = "yyyy-MM-dd";

    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>The day of a timestamp in ms since the epoch; floored, so a moment before the epoch falls on the day before it.</summary>
    public static long Of(long timestampMs) => Math.DivRem(timestampMs, Ms, out var rest) - (rest < 0 ? 1 : 0);

    /// <summary>Whether the day lies in years 1–9999, the days that have a name (a timestamp beyond them is not in ms).</summary>
    public static bool IsNamed(long day) => day + EpochDayNumber >= DateOnly.MinValue.DayNumber && day + EpochDayNumber <= DateOnly.MaxValue.DayNumber;

    /// <summary>YYYY-MM-DD; a day outside years 1–9999 throws <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static string Name(long day) =>
        IsNamed(day) ? DateOnly.FromDayNumber((int)(day + EpochDayNumber)).ToString(Format, CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(day), day, "a day outside years 1–9999 has no name");

    /// <summary>The day a YYYY-MM-DD name stands for; false for anything else.</summary>
    public static bool TryParse(string name, out long day)
    {
        var parsed = DateOnly.TryParseExact(name, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);
        day = parsed ? date.DayNumber - EpochDayNumber : 0;
        return parsed;
    }
}
