using System.Runtime.InteropServices;

namespace InverseLearning.Data;

/// <summary>
/// Encodes an id column that arrives in pieces (row group by row group): each id gets its
/// order of first appearance at once, one hash lookup per row, and once every piece is in,
/// <see cref="RankInPlace"/> renumbers the encoded column by ascending raw id (1..Count),
/// the numbering <see cref="Vocabulary"/> uses. Memory grows with the distinct ids only.
/// </summary>
internal sealed class AppearanceEncoding
{
    private readonly Dictionary<long, int> _firstSeen = new();

    /// <summary>Writes the appearance number (from 0) of every id of <paramref name="ids"/> into <paramref name="encoded"/>.</summary>
    public void Encode(ReadOnlySpan<long> ids, Span<int> encoded)
    {
        for (var row = 0; row < ids.Length; row++)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_firstSeen, ids[row], out var exists);
            if (!exists) slot = _firstSeen.Count - 1;
            encoded[row] = slot;
        }
    }

    /// <summary>Renumbers <paramref name="encoded"/> (every piece, in any order) from appearance to rank; returns the raw ids by rank, entry 0 unused.</summary>
    public long[] RankInPlace(Span<int> encoded)
    {
        var (rawIds, rank) = Rank();
        for (var row = 0; row < encoded.Length; row++)
            encoded[row] = rank[encoded[row]];
        return rawIds;
    }

    /// <summary>The raw ids by rank (entry 0 unused) and, per appearance number, its rank (1..Count).</summary>
    public (long[] RawIds, int[] RankOf) Rank()
    {
        var keys = new long[_firstSeen.Count];
        var order = new int[_firstSeen.Count];
        foreach (var (id, appearance) in _firstSeen)
        {
            keys[appearance] = id;
            order[appearance] = appearance;
        }
        Array.Sort(keys, order);
        var rank = new int[keys.Length];
        for (var position = 0; position < keys.Length; position++)
            rank[order[position]] = position + 1;
        var rawIds = new long[keys.Length + 1];
        keys.CopyTo(rawIds, 1);
        return (rawIds, rank);
    }

    /// <summary>Distinct ids encoded so far.</summary>
    public int Count => _firstSeen.Count;
}
