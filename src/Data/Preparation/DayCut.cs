namespace InverseLearning.Data;

/// <summary>
/// Where a <see cref="TimeSplit"/> cuts a log's days: rows from <see cref="TestFrom"/> on are
/// test, rows from <see cref="ValidFrom"/> on valid, earlier rows train. A pure function of a
/// row's day once the cut is known, so a streamed read splits each row as it arrives.
/// </summary>
public sealed record DayCut(long ValidFrom, long TestFrom, DaySplit Days)
{
    /// <summary>
    /// The cut of <paramref name="split"/> over the days that hold rows; fewer days than it holds
    /// out (plus one to train on) is one error naming <paramref name="path"/> and the log's days.
    /// </summary>
    public static DayCut Of(TimeSplit split, IEnumerable<long> daysWithRows, string daysSource, bool replacedSplitColumn, string path)
    {
        split.Validate();
        var ordered = daysWithRows.Distinct().Order().ToArray();
        var heldOut = (long)split.ValidDays + split.TestDays;   // long: two flags near int.MaxValue must not wrap
        if (heldOut >= ordered.Length)
            throw new DataException($"{path}: --valid-days {split.ValidDays} + --test-days {split.TestDays} hold out {heldOut:N0} days, but the log has rows on {Counted.Of(ordered.Length, "day")}" +
                $"{(ordered.Length == 0 ? "" : $", {UtcDay.Name(ordered[0])} to {UtcDay.Name(ordered[^1])} by {daysSource}")}; leave at least one day for training");
        var trainDays = ordered.Length - (int)heldOut;
        return new DayCut(ordered[trainDays], ordered[^split.TestDays], new DaySplit(daysSource, DaySpan.Of(ordered[..trainDays]),
            DaySpan.Of(ordered[trainDays..^split.TestDays]), DaySpan.Of(ordered[^split.TestDays..]), replacedSplitColumn));
    }

    /// <summary>The part a row of <paramref name="day"/> belongs to.</summary>
    public SplitTag TagOf(long day) => day >= TestFrom ? SplitTag.Test : day >= ValidFrom ? SplitTag.Valid : SplitTag.Train;
}
