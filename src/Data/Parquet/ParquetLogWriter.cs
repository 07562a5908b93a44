using Parquet.Schema;

namespace InverseLearning.Data;

/// <summary>Writes the columns a log has, in row groups of <see cref="InteractionLogParquet.RowGroupSize"/> rows; nullable columns as optional Parquet columns.</summary>
internal static class ParquetLogWriter
{
    /// <param name="metadata">Key-value pairs for the footer (the simulation's stamp), or none.</param>
    /// <param name="cancel">Checked before each row group: a cancelled write throws, and its temporary file is removed.</param>
    public static async Task WriteAsync(InteractionLog log, Stream stream, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancel = default)
    {
        var userId = new DataField<long>(InteractionLogSchema.UserId);
        var itemId = new DataField<long>(InteractionLogSchema.ItemId);
        var timestamp = new DataField<long>(InteractionLogSchema.Timestamp);
        var play = new DataField<long?>(InteractionLogSchema.PlayTime);
        var duration = new DataField<long?>(InteractionLogSchema.Duration);
        var rating = new DataField<float?>(InteractionLogSchema.Rating);
        var like = new DataField<bool?>(InteractionLogSchema.Like);
        var hate = new DataField<bool?>(InteractionLogSchema.Hate);
        var split = new DataField<string>(InteractionLogSchema.Split, nullable: false);

        var fields = new List<DataField> { userId, itemId };
        if (log.TimestampMs is not null) fields.Add(timestamp);
        if (log.PlayTimeMs is not null) fields.Add(play);
        if (log.DurationMs is not null) fields.Add(duration);
        if (log.Rating is not null) fields.Add(rating);
        if (log.Like is not null) fields.Add(like);
        if (log.Hate is not null) fields.Add(hate);
        if (log.Split is not null) fields.Add(split);

        var size = Math.Min(InteractionLogParquet.RowGroupSize, Math.Max(log.Count, 1));
        var longs = new long?[size];
        var floats = new float?[size];
        var bools = new bool?[size];
        var strings = new string[size];

        await DigestedParquetWriter.WriteAsync(new ParquetSchema(fields), stream, metadata, async writer =>
        {
            for (var start = 0; start < log.Count; start += size)
            {
                cancel.ThrowIfCancellationRequested();
                var count = Math.Min(size, log.Count - start);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<long>(userId, log.UserId.AsMemory(start, count));
                await group.WriteAsync<long>(itemId, log.ItemId.AsMemory(start, count));
                if (log.TimestampMs is { } timestamps) await group.WriteAsync<long>(timestamp, timestamps.AsMemory(start, count));
                if (log.PlayTimeMs is { } plays) await group.WriteAsync<long>(play, Fill(plays, longs, start, count));
                if (log.DurationMs is { } durations) await group.WriteAsync<long>(duration, Fill(durations, longs, start, count));
                if (log.Rating is { } ratings) await group.WriteAsync<float>(rating, Fill(ratings, floats, start, count));
                if (log.Like is { } likes) await group.WriteAsync<bool>(like, Fill(likes, bools, start, count));
                if (log.Hate is { } hates) await group.WriteAsync<bool>(hate, Fill(hates, bools, start, count));
                if (log.Split is { } tags)
                {
                    for (var i = 0; i < count; i++)
                        strings[i] = InteractionLogSchema.SplitName(tags[start + i]);
                    await group.WriteAsync(split, new ArraySegment<string>(strings, 0, count));
                }
            }
        });
    }

    private static ReadOnlyMemory<T?> Fill<T>(NullableColumn<T> column, T?[] buffer, int start, int count) where T : struct
    {
        for (var i = 0; i < count; i++)
            buffer[i] = column.HasValue[start + i] ? column.Values[start + i] : null;
        return buffer.AsMemory(0, count);
    }
}
