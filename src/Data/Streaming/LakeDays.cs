namespace InverseLearning.Data;

/// <summary>
/// The day of each row a streamed read meets, as <see cref="RowDays"/> gives a held log's: the
/// part's `day=` partition when the lake has them (one day for every row of a part), else the
/// UTC day of the row's timestamp. A buffer refilled group after group.
/// </summary>
internal sealed class LakeDays
{
    private readonly string _source;
    private readonly long[]? _partDays;
    private long[] _days = [];

    private LakeDays(string source, long[]? partDays)
    {
        _source = source;
        _partDays = partDays;
    }

    /// <summary>Where the days come from, in words (<see cref="RowDays.Source"/>'s words).</summary>
    public string Source => _partDays is null ? RowDays.FromTimestamps : RowDays.FromPartitions;

    /// <summary>Whether the rows' timestamps must be read for their days.</summary>
    public bool ReadsTimestamps => _partDays is null;

    /// <summary>The days of <paramref name="dataset"/>'s parts when it is partitioned by day (a partition that is not a date is refused now), else the timestamps'.</summary>
    public static LakeDays Of(LogDataset dataset) => RowDays.Partitioned(dataset.PartitionKeys)
        ? new LakeDays(dataset.Source, dataset.Parts.Select(part => RowDays.PartitionDay(part.Partition[DayPartitionedWriter.Column], dataset.Source)).ToArray())
        : new LakeDays(dataset.Source, null);

    /// <summary>
    /// The days of <paramref name="group"/>'s rows, valid until the next call; <paramref name="part"/> and
    /// <paramref name="firstRowInPart"/> place it, so an error names the part file and row, counting the rows
    /// <paramref name="removed"/> marks (bad ones left out of the group under --on-bad-row skip).
    /// </summary>
    public long[] Of(InteractionLog group, int part, string partPath, int firstRowInPart, bool[]? removed)
    {
        if (_days.Length < group.Count) _days = new long[group.Count];
        if (_partDays is { } byPart)
        {
            _days.AsSpan(0, group.Count).Fill(byPart[part]);
            return _days;
        }
        var timestamps = group.TimestampMs ?? throw RowDays.NoDays(_source);
        for (int row = 0, inGroup = 0; row < group.Count; row++, inGroup++)
        {
            while (removed is not null && removed[inGroup]) inGroup++;
            _days[row] = RowDays.TimestampDay(timestamps[row], partPath, (long)firstRowInPart + inGroup);
        }
        return _days;
    }
}
