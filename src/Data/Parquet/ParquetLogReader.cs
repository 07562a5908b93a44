using Parquet;
using Parquet.Schema;

namespace InverseLearning.Data;

/// <summary>
/// Reads log files row group by row group straight into the columns of one
/// <see cref="InteractionLog"/> sized from the footers, checking each group's rows
/// before moving on (so a failure names the first bad row in file order). A dataset of
/// several part files is read part after part into the same log.
/// </summary>
internal sealed class ParquetLogReader(string path, ReadOptions options)
{
    // Reused across row groups and parts: nullable columns arrive as T? and are split into values + mask.
    private long?[] _longs = [];
    private float?[] _floats = [];
    private bool?[] _bools = [];

    public async Task<InteractionLog> ReadAsync()
    {
        InputFile.Require(path);
        await using var part = await ParquetPart.OpenAsync(path);
        part.RequireIntactContent();
        options.Memory?.Require(path, part.Rows, part.Columns.HeldBytesPerRow + GroupBufferBytesPerRow, HeldMemoryLimit.WholeLogAdvice);
        var log = NewLog(CheckedCount(path, part.Rows), part.Columns);
        var validator = new RowValidator(options, log);
        await ReadIntoAsync(part, log, validator, 0, log.Count);
        validator.Finish();
        return log;
    }

    /// <summary>The row count as a log length; a dataset too large for one log is refused before anything is allocated.</summary>
    public static int CheckedCount(string what, long rows) =>
        rows <= Array.MaxLength ? (int)rows : throw new DataException($"{what}: {rows} rows, more than one log can hold ({Array.MaxLength})");

    /// <summary>Reads every row of <paramref name="part"/> into <paramref name="log"/> from row <paramref name="start"/>; progress counts against <paramref name="total"/> rows.</summary>
    public async Task ReadIntoAsync(ParquetPart part, InteractionLog log, RowValidator validator, int start, int total)
    {
        var reader = part.Reader;
        var offset = start;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            EnsureBuffers(count);
            validator.PrepareGroup(count);
            await ReadGroupAsync(part.Path, group, part.Columns, log, validator, offset, count, g, offset - start);
            validator.Check(part, offset, count, start);
            offset += count;
            ReleaseDecoderGarbage(count);
            options.Progress?.Report(total == 0 ? 1 : (double)offset / total);
        }
    }

    /// <summary>
    /// Reads <paramref name="part"/> one row group at a time into a log of that group alone,
    /// checks its rows (bad ones under Skip are removed and counted in <paramref name="skipped"/>)
    /// and hands it to <paramref name="consume"/>, which must copy what it keeps: the group's
    /// log is reused. <paramref name="start"/> is the count of rows of the parts before this
    /// one; progress counts against <paramref name="total"/>. <paramref name="partSplit"/>, when
    /// set, is the split of every row (from a split=… partition directory).
    /// </summary>
    public async Task ReadGroupsAsync(ParquetPart part, BadRowReport skipped, int start, int total, SplitTag? partSplit, Action<InteractionLog> consume)
    {
        var inPart = 0;
        InteractionLog? group = null;
        for (var g = 0; g < part.Reader.RowGroupCount; g++)
        {
            var (read, removed, rows) = await ReadGroupAsync(part, g, inPart, group, skipped, start + inPart, partSplit);
            consume(read);
            group = removed is null ? read : null;
            inPart += rows;
            options.Progress?.Report(total == 0 ? 1 : (double)(start + inPart) / total);
        }
    }

    /// <summary>
    /// Reads row group <paramref name="g"/> of <paramref name="part"/> (its first row is row
    /// <paramref name="inPart"/> of the part) into <paramref name="reuse"/> when it has the
    /// group's length, else into a new log, and checks its rows: bad ones under Skip are removed
    /// (Removed then marks them among the group's rows in the file, and the returned log is shorter
    /// and not to be reused) and counted in <paramref name="skipped"/>, which numbers rows from
    /// <paramref name="rowsBefore"/>. Rows: the group's rows in the file.
    /// </summary>
    /// <param name="columns">The columns to read (and check), part.Columns when null.</param>
    public async Task<(InteractionLog Group, bool[]? Removed, int Rows)> ReadGroupAsync(ParquetPart part, int g, int inPart, InteractionLog? reuse,
        BadRowReport skipped, int rowsBefore, SplitTag? partSplit, LogColumns? columns = null)
    {
        columns ??= part.Columns;
        using var rowGroup = part.Reader.OpenRowGroupReader(g);
        // As the run's estimate counts a group (its columns' own bytes were found to be a third of what the read grows to).
        options.Memory?.Require($"{part.Path}, row group {g}", rowGroup.RowCount, HeldMemoryLimit.BytesPerGroupRow, HeldMemoryLimit.RowGroupAdvice);
        var count = (int)rowGroup.RowCount;
        var group = reuse;
        if (group?.Count != count)
        {
            group = NewLog(count, columns);
            if (partSplit.HasValue) group.Split = new SplitTag[count];
        }
        if (partSplit is { } split) group.Split.AsSpan().Fill(split);
        EnsureBuffers(count);
        var validator = new RowValidator(options, group, skipped, rowsBefore);
        validator.PrepareGroup(count);
        await ReadGroupAsync(part.Path, rowGroup, columns, group, validator, 0, count, g, inPart);
        validator.Check(part, 0, count, -inPart);
        var removed = validator.Removed;
        validator.Finish();
        ReleaseDecoderGarbage(count);
        return (group, removed, count);
    }

    /// <summary>
    /// Parquet.Net leaves tens of megabytes of large-object garbage per million rows read
    /// (page and decode buffers, and a streamed read's group logs); collected after every
    /// quarter million rows or so, it never piles up to the size of the log.
    /// </summary>
    private void ReleaseDecoderGarbage(int groupRows)
    {
        _rowsSinceCollection += groupRows;
        if (_rowsSinceCollection < RowsBetweenCollections) return;
        ReleasedArrays.Collect();
        _rowsSinceCollection = 0;
    }

    private const int RowsBetweenCollections = 1 << 18;
    private int _rowsSinceCollection;

    public static InteractionLog NewLog(int count, LogColumns columns) => new(count)
    {
        TimestampMs = columns.Timestamp is null ? null : new long[count],
        PlayTimeMs = columns.PlayTime is null ? null : new NullableColumn<long>(count),
        DurationMs = columns.Duration is null ? null : new NullableColumn<long>(count),
        Rating = columns.Rating is null ? null : new NullableColumn<float>(count),
        Like = columns.Like is null ? null : new NullableColumn<bool>(count),
        Hate = columns.Hate is null ? null : new NullableColumn<bool>(count),
        Split = columns.Split is null ? null : new SplitTag[count],
    };

    // A row group's rows also pass through the buffers above and the validator's: a nullable long, float, bool and a split name's reference each.
    private const double GroupBufferBytesPerRow = 16 + 8 + 2 + 8;

    private void EnsureBuffers(int count)
    {
        if (_longs.Length >= count) return;
        _longs = new long?[count];
        _floats = new float?[count];
        _bools = new bool?[count];
    }

    private async Task ReadGroupAsync(string partPath, ParquetRowGroupReader group, LogColumns columns, InteractionLog log,
        RowValidator validator, int offset, int count, int groupIndex, int inPart)
    {
        async Task Guard(DataField field, Func<Task> read)
        {
            try
            {
                await read();
            }
            catch (Exception e) when (e is not DataException)
            {
                throw new DataException($"{partPath}: column '{field.Name}', rows {inPart + 1}-{inPart + count} (row group {groupIndex}): cannot be read, the file is damaged or truncated ({e.Message})", e);
            }
        }

        await Guard(columns.UserId, () => ReadIds(group, columns.UserId, log.UserId, offset, count, validator.NullUserIds));
        await Guard(columns.ItemId, () => ReadIds(group, columns.ItemId, log.ItemId, offset, count, validator.NullItemIds));
        if (columns.Timestamp is { } timestamp)
            await Guard(timestamp, () => ReadIds(group, timestamp, log.TimestampMs!, offset, count, validator.NullTimestamps));
        if (columns.PlayTime is { } play)
            await Guard(play, () => ReadNullable(group, play, _longs, log.PlayTimeMs!, offset, count));
        if (columns.Duration is { } duration)
            await Guard(duration, () => ReadNullable(group, duration, _longs, log.DurationMs!, offset, count));
        if (columns.Rating is { } rating)
            await Guard(rating, () => ReadNullable(group, rating, _floats, log.Rating!, offset, count));
        if (columns.Like is { } like)
            await Guard(like, () => ReadNullable(group, like, _bools, log.Like!, offset, count));
        if (columns.Hate is { } hate)
            await Guard(hate, () => ReadNullable(group, hate, _bools, log.Hate!, offset, count));
        if (columns.Split is { } split)
            await Guard(split, () => ReadSplit(group, split, log.Split!, offset, count, validator.SplitNames));
    }

    /// <summary>A column that must not hold nulls: read in place when the file declares it required; otherwise nulls are noted for the validator.</summary>
    private async Task ReadIds(ParquetRowGroupReader group, DataField field, long[] target, int offset, int count, bool[] isNull)
    {
        Array.Clear(isNull, 0, count);
        if (!field.IsNullable)
        {
            await group.ReadAsync<long>(field, target.AsMemory(offset, count));
            return;
        }
        await group.ReadAsync<long>(field, _longs.AsMemory(0, count));
        for (var i = 0; i < count; i++)
        {
            var value = _longs[i];
            isNull[i] = !value.HasValue;
            target[offset + i] = value.GetValueOrDefault();
        }
    }

    private static async Task ReadNullable<T>(ParquetRowGroupReader group, DataField field, T?[] buffer, NullableColumn<T> target, int offset, int count)
        where T : struct
    {
        if (!field.IsNullable)
        {
            await group.ReadAsync<T>(field, target.Values.AsMemory(offset, count));
            target.HasValue.AsSpan(offset, count).Fill(true);
            return;
        }
        await group.ReadAsync<T>(field, buffer.AsMemory(0, count));
        for (var i = 0; i < count; i++)
        {
            var value = buffer[i];
            target.HasValue[offset + i] = value.HasValue;
            target.Values[offset + i] = value.GetValueOrDefault();
        }
    }

    /// <summary>Reads the names into <paramref name="names"/>, the validator's, which tells a bad one as it was written.</summary>
    private static async Task ReadSplit(ParquetRowGroupReader group, DataField field, SplitTag[] target, int offset, int count, string?[] names)
    {
        await group.ReadAsync(field, names.AsMemory(0, count));
        string? last = null;
        var lastTag = SplitTag.Unassigned;
        for (var i = 0; i < count; i++)
        {
            // Runs of equal names are the norm (files are written split by split): parse once per run.
            var name = names[i];
            if (!ReferenceEquals(name, last) && name != last)
            {
                last = name;
                lastTag = InteractionLogSchema.ParseSplit(name);
            }
            target[offset + i] = lastTag;
        }
    }
}
