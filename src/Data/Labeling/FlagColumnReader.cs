using Parquet;

namespace InverseLearning.Data;

/// <summary>
/// Reads one boolean column of a log by name, for <c>--extra-feedback column:NAME</c>
/// (a column the log schema does not define, e.g. "purchase"), from every part of the
/// dataset in the order the log was read. Rows line up with the log only when the read
/// kept every row, so the caller passes the log to check that.
/// </summary>
public static class FlagColumnReader
{
    public static NullableColumn<bool> Read(LogDataset dataset, string name, InteractionLog log) =>
        Read(dataset, name, log.Count, log.SkippedRows);

    /// <summary>The rows of <paramref name="log"/> the column marks (true; null marks nothing), read as <see cref="Read(LogDataset, string, InteractionLog)"/> reads it.</summary>
    public static bool[] ReadMarks(LogDataset dataset, string name, CompactLog log) =>
        FeedbackRule.Flags(Read(dataset, name, log.Count, log.SkippedRows), log.Count);

    private static NullableColumn<bool> Read(LogDataset dataset, string name, int rows, BadRowReport skipped)
    {
        if (skipped.Total > 0)
            throw new DataException($"{dataset.Source}: column '{name}' cannot be lined up with the log after --on-bad-row skip left {Counted.Of(skipped.Total, "row")} out; fix the bad rows or use like or rating:N");
        return Synchronously.Run(async () =>
        {
            var column = new NullableColumn<bool>(rows);
            var offset = 0;
            foreach (var part in dataset.Parts)
                offset = await ReadPartAsync(part.Path, name, column, offset);
            if (offset != rows)
                throw new DataException($"{dataset.Source}: column '{name}' has {offset} rows, the log {rows}");
            return column;
        });
    }

    /// <summary>Reads <paramref name="path"/>'s column into <paramref name="column"/> from row <paramref name="offset"/>; returns the offset after it.</summary>
    private static async Task<int> ReadPartAsync(string path, string name, NullableColumn<bool> column, int offset)
    {
        ParquetPart.RequireWholeFooter(path);
        await using var reader = await ParquetReader.CreateAsync(path);
        var field = reader.Schema.DataFields.FirstOrDefault(f => f.Name == name)
            ?? throw new DataException($"{path}: --extra-feedback column:{name} names a missing column; the file has columns {string.Join(", ", reader.Schema.DataFields.Select(f => $"'{f.Name}'"))}");
        if (field.ClrType != typeof(bool) || field.IsArray)
            throw new DataException($"{path}: column '{name}' has type {field.ClrType.Name}, expected bool for --extra-feedback column:{name}");
        ParquetPart.RequireIntactContent(path, reader.CustomMetadata);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            if (offset + count > column.Values.Length)
                throw new DataException($"{path}: column '{name}' has more rows than the log read ({column.Values.Length})");
            if (field.IsNullable)
            {
                var buffer = new bool?[count];
                await group.ReadAsync(field, buffer.AsMemory());
                for (var i = 0; i < count; i++) column.Set(offset + i, buffer[i]);
            }
            else
            {
                await group.ReadAsync<bool>(field, column.Values.AsMemory(offset, count));
                column.HasValue.AsSpan(offset, count).Fill(true);
            }
            offset += count;
        }
        return offset;
    }
}
