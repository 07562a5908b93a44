using InverseLearning.Serving.Models.Contract;
using InverseLearning.Serving.Models.Loading;
using Parquet;
using Parquet.Schema;

namespace InverseLearning.Serving.Models;

/// <summary>
/// The items each user interacted with in the training log (`seen.parquet`), which `Recommend(exclude_seen)` leaves out. Held
/// as one sorted array of item ids, each user's a run in it: 8 bytes a row, where a set per user took about 58 (a catalogue of
/// micro-video's size, 9.9 million rows, held 742 MB at rest). The users are a sorted array of ids beside their runs' starts:
/// 12 bytes a user, where a dictionary of runs took about 40 (3.9 million users over 5 million rows: 32 bytes a row at rest).
/// </summary>
public sealed class SeenItems
{
    private readonly long[] _users;
    // User i's run is _items[_starts[i].._starts[i + 1]].
    private readonly int[] _starts;
    private readonly long[] _items;

    private SeenItems(long[] users, int[] starts, long[] items, long rows, string? exportStamp)
    {
        _users = users;
        _starts = starts;
        _items = items;
        Rows = rows;
        ExportStamp = exportStamp;
    }

    /// <summary>The rows the file held (a pair repeated counted each time).</summary>
    public long Rows { get; }

    /// <summary>The <see cref="Contract.ExportStamp"/> in the file's footer; null for a file exported before the stamp, or not by export.</summary>
    public string? ExportStamp { get; }

    /// <summary>The items <paramref name="userId"/> has seen, ascending and each once (a binary search tells whether one is there).</summary>
    public ReadOnlyMemory<long> For(long userId) => Array.BinarySearch(_users, userId) is var user and >= 0
        ? _items.AsMemory(_starts[user], _starts[user + 1] - _starts[user])
        : ReadOnlyMemory<long>.Empty;

    /// <summary>
    /// Reads columns `user_id`, `item_id` (int64) from the file's <paramref name="bytes"/>; a damaged footer, data that differs from
    /// the content digest its footer records, a row count its columns do not hold or a wrong schema is a
    /// <see cref="ModelLoadException"/> naming the file (and the column).
    /// </summary>
    public static async Task<SeenItems> ReadAsync(byte[] bytes, string path, CancellationToken cancellationToken = default)
    {
        // Checked before Parquet.Net decodes the footer: a damaged one could send it into a loop that never returns.
        if (InverseLearning.Data.ParquetFooter.Problem(bytes) is { } damage) throw new ModelLoadException($"{path}: cannot read the seen-items log ({damage})");
        try
        {
            await using var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes, writable: false), cancellationToken: cancellationToken);
            if (InverseLearning.Data.ContentDigest.Problem(bytes, reader.CustomMetadata) is { } altered) throw new ModelLoadException($"{path}: cannot read the seen-items log ({altered})");
            var userField = Column(reader, path, ModelContract.UserId);
            var itemField = Column(reader, path, ModelContract.ItemId);
            var rows = CheckedRowCount(reader, path, userField, itemField);
            var (users, items) = (new long[rows], new long[rows]);
            var at = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                await ReadLongs(group, userField, users.AsMemory(at, (int)group.RowCount), path, at, cancellationToken);
                await ReadLongs(group, itemField, items.AsMemory(at, (int)group.RowCount), path, at, cancellationToken);
                at += (int)group.RowCount;
            }
            var (userIds, starts, distinct) = Runs(users, items);
            return new SeenItems(userIds, starts, distinct, rows, reader.CustomMetadata.GetValueOrDefault(Contract.ExportStamp.Key));
        }
        catch (Exception e) when (e is not ModelLoadException and not OperationCanceledException)
        {
            throw new ModelLoadException($"{path}: cannot read the seen-items log ({e.Message})", e);
        }
    }

    /// <summary>
    /// The rows of all row groups, each group's count checked against what its columns hold before anything is allocated for
    /// them: a count the columns do not hold would have the reader allocate for rows that are not there.
    /// </summary>
    private static int CheckedRowCount(ParquetReader reader, string path, params DataField[] fields)
    {
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in fields)
                if (group.GetMetadata(field)?.MetaData?.NumValues != group.RowCount)
                    throw new ModelLoadException($"{path}: row group {g} declares {group.RowCount} rows but column '{field.Name}' holds {group.GetMetadata(field)?.MetaData?.NumValues} values: the file is damaged");
            rows += group.RowCount;
        }
        return rows <= Array.MaxLength ? (int)rows
            : throw new ModelLoadException($"{path}: the seen-items log holds {rows:N0} rows, more than one list can hold ({Array.MaxLength:N0})");
    }

    /// <summary>
    /// Each user's items sorted and each kept once, in place in <paramref name="items"/>; the distinct users, ascending, and where
    /// each one's run starts in it (one start more: the end of the last run).
    /// </summary>
    private static (long[] Users, int[] Starts, long[] Items) Runs(long[] users, long[] items)
    {
        Array.Sort(users, items);
        var distinctUsers = 0;
        for (var r = 0; r < users.Length; r++)
            if (r == 0 || users[r] != users[r - 1]) distinctUsers++;
        var (ids, starts) = (new long[distinctUsers], new int[distinctUsers + 1]);
        var (kept, user) = (0, 0);
        for (var start = 0; start < users.Length; user++)
        {
            var end = start + 1;
            while (end < users.Length && users[end] == users[start]) end++;
            Array.Sort(items, start, end - start);
            (ids[user], starts[user]) = (users[start], kept);
            for (var r = start; r < end; r++)
                if (r == start || items[r] != items[r - 1]) items[kept++] = items[r];
            start = end;
        }
        starts[distinctUsers] = kept;
        // A pair repeated leaves a tail unused: the list is cut to what it holds.
        if (kept < items.Length) Array.Resize(ref items, kept);
        return (ids, starts, items);
    }

    private static DataField Column(ParquetReader reader, string path, string name)
    {
        var field = reader.Schema.DataFields.FirstOrDefault(f => f.Name == name)
            ?? throw new ModelLoadException($"{path}: column '{name}' is missing (expected int64 columns {ModelContract.UserId}, {ModelContract.ItemId})");
        if (field.ClrType != typeof(long))
            throw new ModelLoadException($"{path}: column '{name}' is {field.ClrType.Name}, expected int64");
        return field;
    }

    private static async Task ReadLongs(ParquetRowGroupReader group, DataField field, Memory<long> values, string path, long firstRow, CancellationToken cancellationToken)
    {
        if (!field.IsNullable)
        {
            await group.ReadAsync(field, values, null, cancellationToken);
            return;
        }
        var nullable = new long?[values.Length];
        await group.ReadAsync(field, nullable.AsMemory(), null, cancellationToken);
        var span = values.Span;
        for (var r = 0; r < nullable.Length; r++)
            span[r] = nullable[r] ?? throw new ModelLoadException($"{path}: column '{field.Name}' row {firstRow + r} is null, expected an id");
    }
}
