using Parquet.Schema;

namespace InverseLearning.Data;

/// <summary>
/// Writes every (user, item) pair of an index as a log of raw ids (user_id, item_id only),
/// the same file <see cref="InteractionLogParquet.Write"/> makes of those columns, but one
/// row group at a time: a seen list as long as the log costs two row-group buffers, not a
/// copy of the log in int64.
/// </summary>
public static class SeenPairsParquet
{
    public static void Write(InteractionIndex pairs, Vocabulary users, Vocabulary items, string path) =>
        AtomicFile.Write(path, stream => Write(pairs, users, items, stream, metadata: null));

    /// <summary>The same, into <paramref name="stream"/> (for a write that makes it visible together with other files).</summary>
    /// <param name="metadata">Key-value pairs for the footer (the export's stamp, which ties it to its model), or none.</param>
    public static void Write(InteractionIndex pairs, Vocabulary users, Vocabulary items, Stream stream, IReadOnlyDictionary<string, string>? metadata) =>
        Synchronously.Run(() => WriteAsync(pairs, users, items, stream, metadata));

    private static async Task WriteAsync(InteractionIndex pairs, Vocabulary users, Vocabulary items, Stream stream, IReadOnlyDictionary<string, string>? metadata)
    {
        var userId = new DataField<long>(InteractionLogSchema.UserId);
        var itemId = new DataField<long>(InteractionLogSchema.ItemId);
        var size = Math.Min(InteractionLogParquet.RowGroupSize, Math.Max(pairs.PairCount, 1));
        var userIds = new long[size];
        var itemIds = new long[size];
        await DigestedParquetWriter.WriteAsync(new ParquetSchema(userId, itemId), stream, metadata, async writer =>
        {
            var (user, next) = (0, 0);
            for (var start = 0; start < pairs.PairCount; start += size)
            {
                var count = Math.Min(size, pairs.PairCount - start);
                for (var row = 0; row < count; row++)
                {
                    while (next == pairs.Offsets[user + 1]) user++;
                    userIds[row] = users.RawIds[user];
                    itemIds[row] = items.RawIds[pairs.Items[next++]];
                }
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<long>(userId, userIds.AsMemory(0, count));
                await group.WriteAsync<long>(itemId, itemIds.AsMemory(0, count));
            }
        });
    }
}
