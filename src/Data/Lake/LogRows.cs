namespace InverseLearning.Data;

/// <summary>Copies chosen rows of a log, in the given order, into a new log with the same columns.</summary>
internal static class LogRows
{
    public static InteractionLog Select(InteractionLog log, ReadOnlySpan<int> rows)
    {
        var n = rows.Length;
        var copy = new InteractionLog(n)
        {
            TimestampMs = log.TimestampMs is null ? null : new long[n],
            PlayTimeMs = log.PlayTimeMs is null ? null : new NullableColumn<long>(n),
            DurationMs = log.DurationMs is null ? null : new NullableColumn<long>(n),
            Rating = log.Rating is null ? null : new NullableColumn<float>(n),
            Like = log.Like is null ? null : new NullableColumn<bool>(n),
            Hate = log.Hate is null ? null : new NullableColumn<bool>(n),
            Split = log.Split is null ? null : new SplitTag[n],
        };
        for (var i = 0; i < n; i++)
        {
            var row = rows[i];
            copy.UserId[i] = log.UserId[row];
            copy.ItemId[i] = log.ItemId[row];
            if (log.TimestampMs is { } timestamps) copy.TimestampMs![i] = timestamps[row];
            Copy(log.PlayTimeMs, copy.PlayTimeMs, row, i);
            Copy(log.DurationMs, copy.DurationMs, row, i);
            Copy(log.Rating, copy.Rating, row, i);
            Copy(log.Like, copy.Like, row, i);
            Copy(log.Hate, copy.Hate, row, i);
            if (log.Split is { } split) copy.Split![i] = split[row];
        }
        return copy;
    }

    private static void Copy<T>(NullableColumn<T>? from, NullableColumn<T>? to, int row, int i) where T : struct
    {
        if (from is null) return;
        to!.Values[i] = from.Values[row];
        to.HasValue[i] = from.HasValue[row];
    }
}
