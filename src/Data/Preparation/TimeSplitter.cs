namespace InverseLearning.Data;

/// <summary>
/// Tags every row of a log train, valid or test by its day under a <see cref="TimeSplit"/>:
/// the tags become the log's split column (replacing one it had), so the rest of the
/// preparation treats them as any split column, training-train / training-test included.
/// </summary>
internal static class TimeSplitter
{
    public static DaySplit Tag(InteractionLog log, RowDays days, TimeSplit split, string path)
    {
        split.Validate();
        var ordered = days.Runs().Select(run => run.Day).ToHashSet().Order().ToArray();
        var heldOut = (long)split.ValidDays + split.TestDays;   // long: two flags near int.MaxValue must not wrap
        if (heldOut >= ordered.Length)
            throw new DataException($"{path}: --valid-days {split.ValidDays} + --test-days {split.TestDays} hold out {heldOut:N0} days, but the log has rows on {ordered.Length:N0} days" +
                $"{(ordered.Length == 0 ? "" : $", {UtcDay.Name(ordered[0])} to {UtcDay.Name(ordered[^1])} by {days.Source}")}; leave at least one day for training");
        var trainDays = ordered.Length - (int)heldOut;
        var validFrom = ordered[trainDays];
        var testFrom = ordered[^split.TestDays];

        var tags = new SplitTag[log.Count];
        foreach (var (start, count, day) in days.Runs())
            tags.AsSpan(start, count).Fill(day >= testFrom ? SplitTag.Test : day >= validFrom ? SplitTag.Valid : SplitTag.Train);
        var replacedSplitColumn = log.Split is not null;
        log.Split = tags;
        return new DaySplit(days.Source, DaySpan.Of(ordered[..trainDays]), DaySpan.Of(ordered[trainDays..^split.TestDays]),
            DaySpan.Of(ordered[^split.TestDays..]), replacedSplitColumn);
    }
}
