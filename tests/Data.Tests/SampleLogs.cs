namespace InverseLearning.Data.Tests;

/// <summary>Small in-memory logs for tests.</summary>
public static class SampleLogs
{
    /// <summary>A log with every column, some nulls, and a split column.</summary>
    public static InteractionLog Full()
    {
        var log = new InteractionLog(4)
        {
            TimestampMs = [1_600_000_000_000, 1_600_000_000_001, 1_600_000_000_002, 1_600_000_000_003],
            PlayTimeMs = new NullableColumn<long>([1000, 0, 7000, 0], [true, true, true, false]),
            DurationMs = new NullableColumn<long>([10_000, 5000, 7000, 0], [true, true, true, false]),
            Rating = new NullableColumn<float>([4.5f, 0, 1, 3], [true, false, true, true]),
            Like = new NullableColumn<bool>([true, false, false, false], [true, true, false, true]),
            Hate = new NullableColumn<bool>([false, true, false, false], [true, true, false, false]),
            Split = [SplitTag.Train, SplitTag.Valid, SplitTag.Test, SplitTag.Train],
        };
        long[] users = [10, long.MaxValue, -3, 10];
        long[] items = [7, 7, long.MinValue, 8];
        users.CopyTo(log.UserId, 0);
        items.CopyTo(log.ItemId, 0);
        return log;
    }

    /// <summary>A watch log: user u, item i, play and duration per row.</summary>
    public static InteractionLog Watch(long[] users, long[] items, long[] play, long[] duration)
    {
        var log = new InteractionLog(users.Length)
        {
            PlayTimeMs = new NullableColumn<long>(play, Enumerable.Repeat(true, play.Length).ToArray()),
            DurationMs = new NullableColumn<long>(duration, Enumerable.Repeat(true, duration.Length).ToArray()),
        };
        users.CopyTo(log.UserId, 0);
        items.CopyTo(log.ItemId, 0);
        return log;
    }

    /// <summary>A random rating log: ratings 1..5, about <paramref name="rows"/> rows over the given numbers of users and items.</summary>
    public static InteractionLog RandomRatings(int rows, int users, int items, int seed)
    {
        var random = new Random(seed);
        var log = new InteractionLog(rows) { Rating = new NullableColumn<float>(rows) };
        for (var r = 0; r < rows; r++)
        {
            log.UserId[r] = 1000 + random.Next(users);
            log.ItemId[r] = 5000 + random.Next(items) * 3;
            log.Rating.Set(r, random.Next(1, 6));
        }
        return log;
    }
}
