namespace InverseLearning.Data;

/// <summary>
/// Which items each user interacted with, as compressed sparse rows: per user the
/// sorted distinct item indices, so membership is a binary search.
/// </summary>
public sealed class InteractionIndex
{
    private readonly int[] _offsets;
    private readonly int[] _items;

    /// <summary>Wraps CSR arrays: user u's items are items[offsets[u]..offsets[u+1]], ascending and distinct.</summary>
    public InteractionIndex(int[] offsets, int[] items)
    {
        if (offsets.Length == 0 || offsets[0] != 0 || offsets[^1] != items.Length)
            throw new ArgumentException("offsets must start at 0 and end at the number of items");
        _offsets = offsets;
        _items = items;
    }

    /// <summary>Builds the index of the (user, item) pairs; users lie in [0, userCount).</summary>
    public static InteractionIndex Build(ReadOnlySpan<int> users, ReadOnlySpan<int> items, int userCount)
    {
        if (users.Length != items.Length) throw new ArgumentException("users and items differ in length");
        var offsets = new int[userCount + 1];
        foreach (var user in users) offsets[user + 1]++;
        for (var u = 0; u < userCount; u++) offsets[u + 1] += offsets[u];

        var cursor = offsets[..^1];
        var grouped = new int[users.Length];
        for (var row = 0; row < users.Length; row++)
            grouped[cursor[users[row]]++] = items[row];

        // Sort each user's items and drop repeats, compacting towards the front.
        var write = 0;
        var start = 0;
        for (var u = 0; u < userCount; u++)
        {
            var end = offsets[u + 1];
            var segment = grouped.AsSpan(start, end - start);
            segment.Sort();
            offsets[u] = write;
            for (var k = 0; k < segment.Length; k++)
                if (k == 0 || segment[k] != segment[k - 1])
                    grouped[write++] = segment[k];
            start = end;
        }
        offsets[userCount] = write;
        return new InteractionIndex(offsets, write == grouped.Length ? grouped : grouped[..write]);
    }

    public int UserCount => _offsets.Length - 1;

    /// <summary>Number of distinct (user, item) pairs.</summary>
    public int PairCount => _items.Length;

    /// <summary>The user's distinct items, ascending; empty for users outside the index.</summary>
    public ReadOnlySpan<int> ItemsOf(int user) =>
        (uint)user < (uint)UserCount ? _items.AsSpan(_offsets[user], _offsets[user + 1] - _offsets[user]) : [];

    public bool Contains(int user, int item) => ItemsOf(user).BinarySearch(item) >= 0;

    internal int[] Offsets => _offsets;
    internal int[] Items => _items;
}
