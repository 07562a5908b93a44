namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Orders row indices the way per-user metrics read them: grouped by user, each user's rows
/// by score descending, tied scores by row order (earlier row ranks higher). Dense user
/// indices (what evaluation passes) are grouped by a counting sort, 4 bytes per user;
/// other ids by a sort over 4-byte keys. Then each user's rows are sorted by a descending
/// score code, and each run of tied codes by row. The order it returns is all it keeps
/// (4 bytes a row: evaluation scores a fifth of the log, so its working set is part of a
/// run's bytes per impression).
/// </summary>
public static class UserRanking
{
    // A counting sort spends 4 bytes per possible user: used while that is at most about a row's worth.
    private const int DenseSlack = 1 << 16;

    /// <summary>Row indices grouped by user (users in ascending unsigned order), score descending, ties by row index.</summary>
    public static int[] Order(ReadOnlySpan<int> users, ReadOnlySpan<float> scores)
    {
        if (users.Length != scores.Length)
            throw new ArgumentException($"users has {users.Length} rows but scores has {scores.Length}; expected the same count.");
        var order = ByUser(users);
        var codes = Array.Empty<uint>();
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && users[order[end]] == users[order[start]]) end++;
            if (codes.Length < end - start) codes = new uint[Math.Max(end - start, 2 * codes.Length)];
            ByScore(order.AsSpan(start, end - start), scores, codes.AsSpan(0, end - start));
            start = end;
        }
        return order;
    }

    /// <summary>Row indices grouped by user in ascending unsigned order (within a user in any order: <see cref="ByScore"/> orders them).</summary>
    private static int[] ByUser(ReadOnlySpan<int> users)
    {
        var largest = -1;
        foreach (var user in users) largest = Math.Max(largest, user);
        var dense = largest < (long)users.Length + DenseSlack && !users.ContainsAnyExceptInRange(0, largest);
        if (dense)
        {
            var starts = new int[largest + 2];
            foreach (var user in users) starts[user + 1]++;
            for (var u = 0; u <= largest; u++) starts[u + 1] += starts[u];
            var grouped = new int[users.Length];
            for (var row = 0; row < users.Length; row++) grouped[starts[users[row]]++] = row;
            return grouped;
        }
        var order = Rows(users.Length);
        var keys = new uint[users.Length];
        for (var i = 0; i < keys.Length; i++) keys[i] = (uint)users[i];
        Array.Sort(keys, order);
        return order;
    }

    /// <summary>Row indices by score descending, ties by row index.</summary>
    public static int[] Order(ReadOnlySpan<float> scores)
    {
        var order = Rows(scores.Length);
        ByScore(order, scores, new uint[scores.Length]);
        return order;
    }

    private static int[] Rows(int n)
    {
        var rows = new int[n];
        for (var i = 0; i < n; i++) rows[i] = i;
        return rows;
    }

    // Sorts the rows by descending score, then each run of tied scores by row (the sort is not stable); codes is scratch of rows' length.
    internal static void ByScore(Span<int> rows, ReadOnlySpan<float> scores, Span<uint> codes)
    {
        for (var i = 0; i < rows.Length; i++) codes[i] = DescendingCode(scores, rows[i]);
        codes.Sort(rows);
        for (var start = 0; start < rows.Length;)
        {
            var end = start + 1;
            while (end < rows.Length && codes[end] == codes[start]) end++;
            if (end - start > 1) rows[start..end].Sort();
            start = end;
        }
    }

    /// <summary>A code whose ascending order is the descending order of the scores; −0 and +0 share one code.</summary>
    internal static uint DescendingCode(ReadOnlySpan<float> scores, int row)
    {
        var score = scores[row];
        if (float.IsNaN(score)) throw new ArgumentException($"scores[{row}] is NaN; expected a number.", nameof(scores));
        var bits = BitConverter.SingleToUInt32Bits(score == 0f ? 0f : score);
        // IEEE order as unsigned: flip all bits of negatives, set the sign bit of positives; then invert for descending.
        var ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ~ascending;
    }
}
