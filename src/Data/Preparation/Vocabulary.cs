namespace InverseLearning.Data;

/// <summary>
/// Raw int64 ids → dense indices 1..Count-1 in ascending raw-id order (so the same ids
/// always give the same indices); index 0 is reserved for ids never seen.
/// </summary>
public sealed class Vocabulary
{
    private readonly long[] _rawIds;
    private readonly IdLookup _lookup;

    private Vocabulary(long[] rawIds)
    {
        _rawIds = rawIds;
        _lookup = IdLookup.Create(rawIds);
    }

    /// <summary>The vocabulary of the distinct ids in <paramref name="ids"/>.</summary>
    public static Vocabulary Build(ReadOnlySpan<long> ids) => Build(ids, out _);

    /// <summary>The vocabulary of <paramref name="ids"/> and, in <paramref name="indices"/>, the dense index of every id (one pass, cheaper than Build then Encode).</summary>
    public static Vocabulary Build(ReadOnlySpan<long> ids, out int[] indices)
    {
        indices = new int[ids.Length];
        return new Vocabulary(IdEncoding.Encode(ids, indices));
    }

    /// <summary>Rebuilds a vocabulary from its <see cref="RawIds"/> (entry 0 ignored; the rest must ascend strictly).</summary>
    public static Vocabulary FromRawIds(long[] rawIds)
    {
        if (rawIds.Length == 0) throw new ArgumentException("a vocabulary has at least the reserved row 0", nameof(rawIds));
        for (var i = 2; i < rawIds.Length; i++)
            if (rawIds[i] <= rawIds[i - 1])
                throw new ArgumentException($"raw ids must ascend strictly; entry {i} ({rawIds[i]}) follows {rawIds[i - 1]}", nameof(rawIds));
        rawIds[0] = 0;
        return new Vocabulary(rawIds);
    }

    /// <summary>Number of rows, including the reserved row 0.</summary>
    public int Count => _rawIds.Length;

    /// <summary>RawIds[index] for index ≥ 1; RawIds[0] is unused (0).</summary>
    public ReadOnlySpan<long> RawIds => _rawIds;

    /// <summary>The raw id of dense index <paramref name="index"/> (≥ 1).</summary>
    public long RawId(int index) => _rawIds[index];

    /// <summary>The dense index of <paramref name="rawId"/>, 0 when it is unknown.</summary>
    public int IndexOf(long rawId) => _lookup.IndexOf(rawId);

    /// <summary>Dense indices of many raw ids at once.</summary>
    public int[] Encode(ReadOnlySpan<long> rawIds)
    {
        var indices = new int[rawIds.Length];
        for (var i = 0; i < rawIds.Length; i++)
            indices[i] = _lookup.IndexOf(rawIds[i]);
        return indices;
    }
}
