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
        var cut = DayCut.Of(split, days.Runs().Select(run => run.Day), days.Source, log.Split is not null, path);
        var tags = new SplitTag[log.Count];
        foreach (var (start, count, day) in days.Runs()) tags.AsSpan(start, count).Fill(cut.TagOf(day));
        log.Split = tags;
        return cut.Days;
    }
}
