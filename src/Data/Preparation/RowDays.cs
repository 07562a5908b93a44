namespace InverseLearning.Data;

/// <summary>
/// The day of every row of a log, which a split by time cuts at: the dataset's `day=`
/// partition when it has one (the lake's own days, in whatever time zone they were cut),
/// else the UTC calendar day of the row's timestamp. Rows of one part file share their
/// partition's day, so a partitioned log costs one entry per part, not per row.
/// </summary>
public sealed class RowDays
{
    private const string PartitionColumn = DayPartitionedWriter.Column;

    private readonly long[]? _timestamps;
    private readonly PartitionColumns? _partitions;
    private readonly long[] _partDays = [];

    private RowDays(string source, long[] timestamps)
    {
        Source = source;
        _timestamps = timestamps;
    }

    private RowDays(string source, PartitionColumns partitions, long[] partDays)
    {
        Source = source;
        _partitions = partitions;
        _partDays = partDays;
    }

    /// <summary>Where the days come from, in words (for the console and metrics.json).</summary>
    public string Source { get; }

    /// <summary>The days of <paramref name="dataset"/>'s rows; <paramref name="path"/> names it in errors.</summary>
    public static RowDays Of(DatasetLog dataset, string path)
    {
        if (dataset.Partitions.Keys.Contains(PartitionColumn))
        {
            var values = dataset.Partitions.ValuesOf(PartitionColumn).ToList();
            var days = new long[values.Count];
            for (var part = 0; part < days.Length; part++)
                if (!UtcDay.TryParse(values[part], out days[part]))
                    throw new DataException($"{path}: partition {PartitionColumn}={values[part]} is not a date YYYY-MM-DD, which --split time reads the rows' days from");
            return new RowDays($"the {PartitionColumn}= partitions", dataset.Partitions, days);
        }
        var timestamps = dataset.Log.TimestampMs ?? throw new DataException(
            $"{path}: --split time needs each row's day, but the log has no '{InteractionLogSchema.Timestamp}' column and no {PartitionColumn}= partition directories");
        for (var row = 0; row < timestamps.Length; row++)
            if (!UtcDay.IsNamed(UtcDay.Of(timestamps[row])))
                throw new DataException($"{path}: row {row + 1}: {InteractionLogSchema.Timestamp} {timestamps[row]} lies outside years 1–9999; expected milliseconds since the Unix epoch");
        return new RowDays($"the {InteractionLogSchema.Timestamp} column (UTC days)", timestamps);
    }

    /// <summary>The log's rows as runs of consecutive rows on one day, in row order (a run per part, or per row for timestamps).</summary>
    internal IEnumerable<(int Start, int Count, long Day)> Runs()
    {
        if (_timestamps is { } timestamps)
        {
            for (var row = 0; row < timestamps.Length; row++) yield return (row, 1, UtcDay.Of(timestamps[row]));
            yield break;
        }
        for (var part = 0; part < _partDays.Length; part++)
        {
            var (start, count) = _partitions!.RowsOf(part);
            if (count > 0) yield return (start, count, _partDays[part]);
        }
    }
}
