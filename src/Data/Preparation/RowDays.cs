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

    /// <summary>Where the days come from when a dataset has `day=` partitions, and when it has not.</summary>
    internal static readonly string FromPartitions = $"the {PartitionColumn}= partitions", FromTimestamps = $"the {InteractionLogSchema.Timestamp} column (UTC days)";

    /// <summary>Whether a dataset partitioned by these keys takes its rows' days from a `day=` partition.</summary>
    internal static bool Partitioned(IEnumerable<string> partitionKeys) => partitionKeys.Contains(PartitionColumn);

    /// <summary>The days of <paramref name="dataset"/>'s rows; <paramref name="path"/> names it in errors.</summary>
    public static RowDays Of(DatasetLog dataset, string path)
    {
        if (Partitioned(dataset.Partitions.Keys))
            return new RowDays(FromPartitions, dataset.Partitions, dataset.Partitions.ValuesOf(PartitionColumn).Select(value => PartitionDay(value, path)).ToArray());
        var timestamps = dataset.Log.TimestampMs ?? throw NoDays(path);
        for (var row = 0; row < timestamps.Length; row++) TimestampDay(timestamps[row], path, row);
        return new RowDays(FromTimestamps, timestamps);
    }

    /// <summary>The day a `day=` partition's value names; one that is not a date is an error naming it.</summary>
    internal static long PartitionDay(string value, string path) => UtcDay.TryParse(value, out var day) ? day
        : throw new DataException($"{path}: partition {PartitionColumn}={value} is not a date YYYY-MM-DD, which --split time reads the rows' days from");

    /// <summary>The UTC day of a row's timestamp; one outside years 1–9999 is not in ms, an error naming the row (0-based <paramref name="row"/>).</summary>
    internal static long TimestampDay(long timestampMs, string path, long row)
    {
        var day = UtcDay.Of(timestampMs);
        return UtcDay.IsNamed(day) ? day
            : throw new DataException($"{path}: row {row + 1}: {InteractionLogSchema.Timestamp} {timestampMs} lies outside years 1–9999; expected milliseconds since the Unix epoch");
    }

    /// <summary>The error of a log whose rows have no day to split by.</summary>
    internal static DataException NoDays(string path) => new(
        $"{path}: --split time needs each row's day, but the log has no '{InteractionLogSchema.Timestamp}' column and no {PartitionColumn}= partition directories");

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
