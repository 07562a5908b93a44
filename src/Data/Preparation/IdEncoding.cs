namespace InverseLearning.Data;

/// <summary>
/// Builds a vocabulary and encodes an id column in one go, with one hash lookup per row
/// (ids numbered in order of appearance, then renumbered by rank) — or none at all when
/// the ids are packed in a narrow range, where a presence table and its prefix sums do it.
/// </summary>
internal static class IdEncoding
{
    public static long[] Encode(ReadOnlySpan<long> ids, int[] indices)
    {
        if (ids.Length == 0) return [0];
        long min = long.MaxValue, max = long.MinValue;
        foreach (var id in ids)
        {
            if (id < min) min = id;
            if (id > max) max = id;
        }
        return (double)max - min + 1 <= 4.0 * ids.Length + 1024
            ? ByTable(ids, min, (int)(max - min + 1), indices)
            : ByHash(ids, indices);
    }

    private static long[] ByTable(ReadOnlySpan<long> ids, long min, int span, int[] indices)
    {
        var rank = new int[span];
        foreach (var id in ids) rank[id - min] = 1;
        var count = 0;
        for (var offset = 0; offset < span; offset++)
            if (rank[offset] != 0) rank[offset] = ++count;
        var rawIds = new long[count + 1];
        for (var offset = 0; offset < span; offset++)
            if (rank[offset] != 0) rawIds[rank[offset]] = min + offset;
        for (var row = 0; row < ids.Length; row++)
            indices[row] = rank[ids[row] - min];
        return rawIds;
    }

    private static long[] ByHash(ReadOnlySpan<long> ids, int[] indices)
    {
        var encoding = new AppearanceEncoding();
        encoding.Encode(ids, indices);
        return encoding.RankInPlace(indices);
    }
}
