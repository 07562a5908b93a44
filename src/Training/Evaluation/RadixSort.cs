namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Stable least-significant-digit radix sort of 64-bit keys carrying an int per key. Stability is
/// what ranks tied scores by row order for free; digits every key shares are skipped, so keys that
/// use few bits (a score code with small user ids) take few passes. O(n) per pass.
/// </summary>
public static class RadixSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;
    private const int Digits = (64 + DigitBits - 1) / DigitBits;

    /// <summary>Sorts <paramref name="keys"/> ascending in place and permutes <paramref name="items"/> alongside; equal keys keep their order.</summary>
    public static void Sort(ulong[] keys, int[] items)
    {
        if (keys.Length != items.Length)
            throw new ArgumentException($"keys has {keys.Length} values but items has {items.Length}; expected the same count.");
        var n = keys.Length;
        // One read of the keys builds every digit's histogram.
        var counts = new int[Digits * Buckets];
        foreach (var key in keys)
            for (var d = 0; d < Digits; d++)
                counts[d * Buckets + (int)((key >> (d * DigitBits)) & (Buckets - 1))]++;

        var sourceKeys = keys;
        var sourceItems = items;
        ulong[]? targetKeys = null;
        int[]? targetItems = null;
        for (var d = 0; d < Digits; d++)
        {
            var histogram = counts.AsSpan(d * Buckets, Buckets);
            if (histogram.Contains(n)) continue; // every key has this digit: the pass would move nothing
            targetKeys ??= new ulong[n];
            targetItems ??= new int[n];
            var offset = 0;
            for (var b = 0; b < Buckets; b++)
            {
                var count = histogram[b];
                histogram[b] = offset;
                offset += count;
            }
            var shift = d * DigitBits;
            for (var i = 0; i < n; i++)
            {
                var position = histogram[(int)((sourceKeys[i] >> shift) & (Buckets - 1))]++;
                targetKeys[position] = sourceKeys[i];
                targetItems[position] = sourceItems[i];
            }
            (sourceKeys, targetKeys) = (targetKeys, sourceKeys);
            (sourceItems, targetItems) = (targetItems, sourceItems);
        }
        if (!ReferenceEquals(sourceKeys, keys))
        {
            sourceKeys.CopyTo(keys, 0);
            sourceItems.CopyTo(items, 0);
        }
    }
}
