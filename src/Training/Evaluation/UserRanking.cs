namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Orders row indices the way per-user metrics read them: grouped by user, each user's rows
/// by score descending, tied scores by row order (earlier row ranks higher). One stable radix
/// sort of a packed 64-bit key — user in the high half, a descending score code in the low
/// half — so grouping costs O(n) passes and no per-user collections.
/// </summary>
public static class UserRanking
{
    /// <summary>Row indices grouped by user (users in ascending unsigned order), score descending, ties by row index.</summary>
    public static int[] Order(ReadOnlySpan<int> users, ReadOnlySpan<float> scores)
    {
        if (users.Length != scores.Length)
            throw new ArgumentException($"users has {users.Length} rows but scores has {scores.Length}; expected the same count.");
        var keys = new ulong[users.Length];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = ((ulong)(uint)users[i] << 32) | DescendingCode(scores, i);
        return SortedRows(keys);
    }

    /// <summary>Row indices by score descending, ties by row index.</summary>
    public static int[] Order(ReadOnlySpan<float> scores)
    {
        var keys = new ulong[scores.Length];
        for (var i = 0; i < keys.Length; i++) keys[i] = DescendingCode(scores, i);
        return SortedRows(keys);
    }

    private static int[] SortedRows(ulong[] keys)
    {
        var rows = new int[keys.Length];
        for (var i = 0; i < rows.Length; i++) rows[i] = i;
        RadixSort.Sort(keys, rows);
        return rows;
    }

    /// <summary>A code whose ascending order is the descending order of the scores; −0 and +0 share one code.</summary>
    private static uint DescendingCode(ReadOnlySpan<float> scores, int row)
    {
        var score = scores[row];
        if (float.IsNaN(score)) throw new ArgumentException($"scores[{row}] is NaN; expected a number.", nameof(scores));
        var bits = BitConverter.SingleToUInt32Bits(score == 0f ? 0f : score);
        // IEEE order as unsigned: flip all bits of negatives, set the sign bit of positives; then invert for descending.
        var ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ~ascending;
    }
}
