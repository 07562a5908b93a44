namespace InverseLearning.Data;

/// <summary>
/// Raw id → dense index. Ids packed in a narrow range (the common case: 0..N or 1..N)
/// use a flat table, one array read per lookup; scattered ids fall back to a hash map.
/// </summary>
internal abstract class IdLookup
{
    public abstract int IndexOf(long rawId);

    public static IdLookup Create(long[] rawIds)
    {
        if (rawIds.Length == 1) return new Table(0, []);
        long min = rawIds[1], max = rawIds[^1];
        // A table at most a few times the vocabulary costs little and beats hashing.
        var span = (double)max - min + 1;
        if (span <= 4.0 * rawIds.Length + 1024)
        {
            var table = new int[(int)(max - min + 1)];
            for (var index = 1; index < rawIds.Length; index++)
                table[rawIds[index] - min] = index;
            return new Table(min, table);
        }
        var map = new Dictionary<long, int>(rawIds.Length - 1);
        for (var index = 1; index < rawIds.Length; index++)
            map[rawIds[index]] = index;
        return new Map(map);
    }

    private sealed class Table(long min, int[] table) : IdLookup
    {
        public override int IndexOf(long rawId)
        {
            var offset = (ulong)(rawId - min);
            return offset < (ulong)table.Length ? table[offset] : 0;
        }
    }

    private sealed class Map(Dictionary<long, int> map) : IdLookup
    {
        public override int IndexOf(long rawId) => map.GetValueOrDefault(rawId);
    }
}
