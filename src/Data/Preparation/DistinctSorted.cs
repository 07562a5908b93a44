namespace InverseLearning.Data;

/// <summary>The distinct values of an id column in ascending order, behind a reserved entry 0.</summary>
internal static class DistinctSorted
{
    public static long[] Of(ReadOnlySpan<long> ids)
    {
        var seen = new HashSet<long>();
        foreach (var id in ids) seen.Add(id);
        var result = new long[seen.Count + 1];
        seen.CopyTo(result, 1);
        result.AsSpan(1).Sort();
        return result;
    }
}
