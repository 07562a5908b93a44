namespace InverseLearning.Data;

/// <summary>Which days a split by time gave each part, where the days came from, and whether the log's own split column was set aside for them.</summary>
public sealed record DaySplit(string Source, DaySpan Train, DaySpan Valid, DaySpan Test, bool ReplacedSplitColumn);

/// <summary>Consecutive days of a log that hold rows: the first, the last, and how many (fewer than the calendar span when days are missing).</summary>
public sealed record DaySpan(long First, long Last, int Days)
{
    public static DaySpan Of(IReadOnlyList<long> orderedDays) => new(orderedDays[0], orderedDays[^1], orderedDays.Count);

    /// <summary>"2024-01-03" for one day, else "2024-01-01 to 2024-01-05 (5 days)".</summary>
    public override string ToString() => Days == 1 ? UtcDay.Name(First) : $"{UtcDay.Name(First)} to {UtcDay.Name(Last)} ({Days:N0} days)";
}
