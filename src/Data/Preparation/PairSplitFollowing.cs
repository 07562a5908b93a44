namespace InverseLearning.Data;

/// <summary>
/// Keeps each (user, item) pair's rows in one part of a random split: a row that repeats an earlier
/// row's pair takes that row's part. Drawn row by row, a pair's copies (a re-rating, a duplicated line)
/// would land in training and in test alike, and test would measure recall of the pair, not prediction.
/// The callers draw every row's part as before and then apply this, so a log without repeated pairs
/// keeps exactly the split it had, and sizes stay exact for it (with repeats, they hold in expectation).
/// </summary>
internal static class PairSplitFollowing
{
    /// <summary>
    /// Rows in log order (dense ids below <paramref name="userCount"/>): each row whose part is not
    /// <paramref name="skip"/> takes the part of the first such row of its pair. Groups the rows by user
    /// first, which holds 4 bytes a row while it runs. Returns whether any part changed.
    /// </summary>
    public static bool FollowFirst(ReadOnlySpan<int> users, ReadOnlySpan<int> items, int userCount, Span<byte> parts, byte skip)
    {
        var (offsets, rows) = ByUser(users, userCount);
        return FollowFirstGrouped(offsets, rows, items, parts, skip);
    }

    /// <summary>The rows grouped by user, in log order within a user: user u's are rows[offsets[u]..offsets[u + 1]].</summary>
    public static (int[] Offsets, int[] Rows) ByUser(ReadOnlySpan<int> users, int userCount)
    {
        var offsets = new int[userCount + 1];
        foreach (var user in users) offsets[user + 1]++;
        for (var u = 0; u < userCount; u++) offsets[u + 1] += offsets[u];
        var rows = new int[users.Length];
        var cursor = offsets[..^1];
        for (var row = 0; row < users.Length; row++) rows[cursor[users[row]]++] = row;
        return (offsets, rows);
    }

    /// <summary>
    /// The same over entries already grouped by user: user u's are <paramref name="rows"/>[offsets[u]..offsets[u + 1]],
    /// in log order, each naming its row in <paramref name="items"/> and <paramref name="parts"/> (null: the entry is the row).
    /// </summary>
    public static bool FollowFirstGrouped(ReadOnlySpan<int> offsets, int[]? rows, ReadOnlySpan<int> items, Span<byte> parts, byte skip)
    {
        var changed = false;
        var order = Array.Empty<long>();
        for (var u = 0; u + 1 < offsets.Length; u++)
        {
            var (start, count) = (offsets[u], offsets[u + 1] - offsets[u]);
            if (count < 2) continue;
            if (order.Length < count) order = new long[Math.Max(count, 2 * order.Length)];
            // Sorted by (item, log order), a pair's first row leads its run.
            var n = 0;
            for (var k = 0; k < count; k++)
            {
                var row = rows?[start + k] ?? start + k;
                if (parts[row] != skip) order[n++] = (long)items[row] << 32 | (uint)row;
            }
            var sorted = order.AsSpan(0, n);
            sorted.Sort();
            for (var k = 1; k < n; k++)
            {
                if (sorted[k] >> 32 != sorted[k - 1] >> 32) continue;
                var (first, row) = ((int)sorted[k - 1], (int)sorted[k]);
                if (parts[row] == parts[first]) continue;
                parts[row] = parts[first];
                changed = true;
            }
        }
        return changed;
    }
}
