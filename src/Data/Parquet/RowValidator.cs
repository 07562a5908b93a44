namespace InverseLearning.Data;

/// <summary>
/// Checks each row of a freshly read log against the schema's rules: under
/// <see cref="BadRowPolicy.Fail"/> the first bad row throws; under Skip bad rows are
/// marked, counted by reason and removed at the end. A streamed read checks one row group
/// at a time, each in its own small log: <paramref name="report"/> then gathers every
/// group's skipped rows, numbered from <paramref name="rowBase"/> (the rows before the group).
/// </summary>
internal sealed class RowValidator(ReadOptions options, InteractionLog log, BadRowReport? report = null, long rowBase = 0)
{
    private bool[]? _remove;
    private readonly BadRowReport _report = report ?? new();

    /// <summary>Null flags of the current row group for columns that cannot hold nulls (filled by the reader).</summary>
    public bool[] NullUserIds { get; private set; } = [];
    public bool[] NullItemIds { get; private set; } = [];
    public bool[] NullTimestamps { get; private set; } = [];

    /// <summary>The current row group's split names as the file holds them (filled by the reader): a bad one is told as found, null or which name.</summary>
    public string?[] SplitNames { get; private set; } = [];

    public void PrepareGroup(int count)
    {
        if (NullUserIds.Length >= count) return;
        NullUserIds = new bool[count];
        NullItemIds = new bool[count];
        NullTimestamps = new bool[count];
        SplitNames = new string?[count];
    }

    /// <summary>Checks log rows [offset, offset + count), which came from <paramref name="part"/> starting at log row <paramref name="partStart"/> (errors count rows within that file).</summary>
    public void Check(ParquetPart part, int offset, int count, int partStart)
    {
        var (path, partOptions) = (part.Path, options.For(part));
        for (var i = 0; i < count; i++)
        {
            var row = offset + i;
            var reason = Inspect(row, i, partOptions, out var found);
            if (reason is not { } bad) continue;
            if (options.OnBadRow == BadRowPolicy.Fail)
                throw new DataException($"{path}: column '{BadRowReasons.Column(bad)}', row {row - partStart + 1}: {BadRowReasons.Expectation(bad, partOptions)}{found} " +
                    (bad == BadRowReason.RatingOutOfRange ? "(give the log's range with --rating-min and --rating-max, or use --on-bad-row skip to leave such rows out)" : "(use --on-bad-row skip to leave such rows out)"));
            _remove ??= new bool[log.Count];
            _remove[row] = true;
            _report.Add(bad, rowBase + row + 1L, path, row - partStart + 1L);
        }
    }

    /// <summary>Which rows of the log were marked bad (null when none were); valid until <see cref="Finish"/>.</summary>
    public bool[]? Removed => _remove;

    public void Finish()
    {
        if (_remove is not null) log.RemoveRows(_remove);
        log.SkippedRows = _report;
    }

    private BadRowReason? Inspect(int row, int inGroup, ReadOptions partOptions, out string found)
    {
        found = "";
        if (NullUserIds[inGroup]) return BadRowReason.NullUserId;
        if (NullItemIds[inGroup]) return BadRowReason.NullItemId;
        if (log.TimestampMs is not null && NullTimestamps[inGroup]) return BadRowReason.NullTimestamp;

        var hasPlay = log.PlayTimeMs is { } play && play.HasValue[row];
        if (hasPlay && log.PlayTimeMs!.Values[row] < 0)
        {
            found = $", found {log.PlayTimeMs.Values[row]}";
            return BadRowReason.NegativePlayTime;
        }
        if (hasPlay && log.DurationMs is { } duration && duration.HasValue[row] && duration.Values[row] <= 0)
        {
            found = $", found {duration.Values[row]}";
            return BadRowReason.NonPositiveDuration;
        }
        if (log.Rating is { } rating && rating.HasValue[row])
        {
            var value = rating.Values[row];
            if (!(value >= partOptions.RatingMin && value <= partOptions.RatingMax))
            {
                found = $", found {value}";
                return BadRowReason.RatingOutOfRange;
            }
        }
        if (log.Split is { } split && split[row] == SplitTag.Unassigned)
        {
            // A null was told only what was expected, as if the row held a misspelt name.
            found = SplitNames[inGroup] is { } name ? $", found '{TerminalText.Safe(name)}'" : ", found null";
            return BadRowReason.UnknownSplit;
        }
        return null;
    }
}
