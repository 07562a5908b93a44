namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Orders row indices the way per-user metrics read them: grouped by user, each user's rows
/// by score descending, tied scores by row order (earlier row ranks higher). One sort of a
/// packed 64-bit key — user in the high half, a descending score code in the low half — so
/// grouping costs O(n log n) and no per-user collections.
/// </summary>
public static class UserRanking
{
    /// <summary>Row indices grouped by user (users in ascending unsigned order), score descending, ties by row index.</summary>
    public static int[] Order(ReadOnlySpan<int> users, ReadOnlySpan<float> scores)
    {
        if (users.Length != scores.Length)
            throw new ArgumentException($"users has {users.Length} rows but scores has {scores.Length}; expected the same count.");
        var keys = new ulong[users.Length];
        var rows = new int[users.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = ((ulong)(uint)users[i] << 32) | DescendingCode(scores[i]);
            rows[i] = i;
        }
        Array.Sort(keys, rows);
        // The sort is unstable: put each run of equal (user, score) back into row order.
        for (var start = 0; start < keys.Length;)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start]) end++;
            if (end - start > 1) Array.Sort(rows, start, end - start);
            start = end;
        }
        return rows;
    }

    /// <summary>A code whose ascending order is the descending order of the (non-NaN) scores; −0 and +0 share one code.</summary>
    internal static uint DescendingCode(float score)
    {
        if (float.IsNaN(score)) throw new ArgumentException("A score is NaN; expected a number.", nameof(score));
        var bits = BitConverter.SingleToUInt32Bits(score == 0f ? 0f : score);
        // IEEE order as unsigned: flip all bits of negatives, set the sign bit of positives; then invert for descending.
        var ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ~ascending;
    }
}
