using InverseLearning.Serving.Models.Contract;
using InverseLearning.Serving.Models.Loading;
using Parquet;
using Parquet.Schema;

namespace InverseLearning.Serving.Models;

/// <summary>The items each user interacted with in the training log (`seen.parquet`), which `Recommend(exclude_seen)` leaves out.</summary>
public sealed class SeenItems
{
    private static readonly HashSet<long> None = [];
    private readonly Dictionary<long, HashSet<long>> _byUser;

    private SeenItems(Dictionary<long, HashSet<long>> byUser, long rows, string? exportStamp)
    {
        _byUser = byUser;
        Rows = rows;
        ExportStamp = exportStamp;
    }

    public long Rows { get; }

    /// <summary>The <see cref="Contract.ExportStamp"/> in the file's footer; null for a file exported before the stamp, or not by export.</summary>
    public string? ExportStamp { get; }

    public IReadOnlySet<long> For(long userId) => _byUser.TryGetValue(userId, out var items) ? items : None;

    /// <summary>
    /// Reads columns `user_id`, `item_id` (int64) from the file's <paramref name="bytes"/>; a damaged footer, a row count its
    /// columns do not hold or a wrong schema is a <see cref="ModelLoadException"/> naming the file (and the column).
    /// </summary>
    public static async Task<SeenItems> ReadAsync(byte[] bytes, string path, CancellationToken cancellationToken = default)
    {
        // Checked before Parquet.Net decodes the footer: a damaged one could send it into a loop that never returns.
        if (InverseLearning.Data.ParquetFooter.Problem(bytes) is { } damage) throw new ModelLoadException($"{path}: cannot read the seen-items log ({damage})");
        try
        {
            await using var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes, writable: false), cancellationToken: cancellationToken);
            var userField = Column(reader, path, ModelContract.UserId);
            var itemField = Column(reader, path, ModelContract.ItemId);
            var byUser = new Dictionary<long, HashSet<long>>();
            long rows = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                // A count the columns do not hold would have the reader allocate for rows that are not there.
                foreach (var field in new[] { userField, itemField })
                    if (group.GetMetadata(field)?.MetaData?.NumValues != group.RowCount)
                        throw new ModelLoadException($"{path}: row group {g} declares {group.RowCount} rows but column '{field.Name}' holds {group.GetMetadata(field)?.MetaData?.NumValues} values: the file is damaged");
                var users = await ReadLongs(group, userField, path, rows, cancellationToken);
                var items = await ReadLongs(group, itemField, path, rows, cancellationToken);
                for (var r = 0; r < users.Length; r++)
                {
                    if (!byUser.TryGetValue(users[r], out var set)) byUser[users[r]] = set = [];
                    set.Add(items[r]);
                }
                rows += users.Length;
            }
            return new SeenItems(byUser, rows, reader.CustomMetadata.GetValueOrDefault(Contract.ExportStamp.Key));
        }
        catch (Exception e) when (e is not ModelLoadException and not OperationCanceledException)
        {
            throw new ModelLoadException($"{path}: cannot read the seen-items log ({e.Message})", e);
        }
    }

    private static DataField Column(ParquetReader reader, string path, string name)
    {
        var field = reader.Schema.DataFields.FirstOrDefault(f => f.Name == name)
            ?? throw new ModelLoadException($"{path}: column '{name}' is missing (expected int64 columns {ModelContract.UserId}, {ModelContract.ItemId})");
        if (field.ClrType != typeof(long))
            throw new ModelLoadException($"{path}: column '{name}' is {field.ClrType.Name}, expected int64");
        return field;
    }

    private static async Task<long[]> ReadLongs(ParquetRowGroupReader group, DataField field, string path, long firstRow, CancellationToken cancellationToken)
    {
        var count = checked((int)group.RowCount);
        if (!field.IsNullable)
        {
            var values = new long[count];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken);
            return values;
        }
        var nullable = new long?[count];
        await group.ReadAsync(field, nullable.AsMemory(), null, cancellationToken);
        var result = new long[count];
        for (var r = 0; r < count; r++)
            result[r] = nullable[r] ?? throw new ModelLoadException($"{path}: column '{field.Name}' row {firstRow + r} is null, expected an id");
        return result;
    }
}
