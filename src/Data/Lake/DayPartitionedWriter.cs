namespace InverseLearning.Data;

/// <summary>
/// Writes a log as a Hive-partitioned dataset, one partition per UTC day of its
/// timestamps: DIR/day=YYYY-MM-DD/part-0.parquet, as Spark or DuckDB export a lake. Rows
/// keep their log order within a day. The days are written into a folder the caller staged (datagen's is
/// <see cref="Simulation.SimulationFiles.Replace"/>'s), so that a reader never sees half a dataset.
/// </summary>
public static class DayPartitionedWriter
{
    public const string Column = "day";
    public const string PartFileName = "part-0.parquet";

    /// <summary>More daily partitions than this (27 years) means timestamps are not milliseconds of a real log.</summary>
    public const int MaxDays = 10_000;

    /// <summary>
    /// Writes each day's rows of <paramref name="log"/> as ROOT/day=YYYY-MM-DD/<paramref name="partFileName"/>
    /// (beside any parts already there) and returns the log's rows by day, in log order within a day.
    /// <paramref name="named"/> is the dataset as errors name it; every part's footer holds <paramref name="metadata"/>.
    /// </summary>
    public static SortedDictionary<long, int[]> WriteDays(InteractionLog log, string named, string root, string partFileName, IReadOnlyDictionary<string, string>? metadata)
    {
        var timestamps = log.TimestampMs ?? throw new DataException($"{named}: cannot partition by day: the log has no '{InteractionLogSchema.Timestamp}' column");
        var days = new SortedDictionary<long, List<int>>();
        for (var row = 0; row < log.Count; row++)
        {
            var day = UtcDay.Of(timestamps[row]);
            if (!days.TryGetValue(day, out var rows))
            {
                if (days.Count == MaxDays)
                    throw new DataException($"{named}: the log's timestamps span more than {MaxDays} days (row {row + 1}: {timestamps[row]} ms); expected milliseconds since the Unix epoch");
                days[day] = rows = [];
            }
            rows.Add(row);
        }
        var written = new SortedDictionary<long, int[]>();
        foreach (var (day, rows) in days)
        {
            InteractionLogParquet.Write(LogRows.Select(log, [.. rows]), Path.Combine(root, $"{Column}={UtcDay.Name(day)}", partFileName), metadata: metadata);
            written[day] = [.. rows];
        }
        return written;
    }
}
