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
    public InteractionIndex(int[] offsets, int[] items) : this(offsets, items, exactLength: true) { }

    /// <summary>Without <paramref name="exactLength"/>, <paramref name="items"/> may run past the last offset (repeats dropped in place, not copied out).</summary>
    private InteractionIndex(int[] offsets, int[] items, bool exactLength)
    {
        if (offsets.Length == 0 || offsets[0] != 0 || (exactLength ? offsets[^1] != items.Length : offsets[^1] > items.Length))
            throw new ArgumentException("offsets must start at 0 and end at the number of items");
        _offsets = offsets;
        _items = items;
    }

    /// <summary>Builds the index of the (user, item) pairs; users lie in [0, userCount).</summary>
    public static InteractionIndex Build(ReadOnlySpan<int> users, ReadOnlySpan<int> items, int userCount)
    {
        if (users.Length != items.Length) throw new ArgumentException("users and items differ in length");
        var offsets = new int[userCount + 1];
        CountPerUser(users, offsets);
        var (cursor, grouped) = Placement(offsets, users.Length);
        Place(users, items, cursor, grouped);
        return SortedDistinct(offsets, grouped, userCount);
    }

    /// <summary>The index of the pairs of several sets of rows together (the splits of one log, each in its own arrays).</summary>
    internal static InteractionIndex Build(IReadOnlyList<(int[] Users, int[] Items)> parts, int userCount)
    {
        var offsets = new int[userCount + 1];
        var rows = 0;
        foreach (var (users, items) in parts)
        {
            if (users.Length != items.Length) throw new ArgumentException("users and items differ in length");
            CountPerUser(users, offsets);
            rows += users.Length;
        }
        var (cursor, grouped) = Placement(offsets, rows);
        foreach (var (users, items) in parts) Place(users, items, cursor, grouped);
        return SortedDistinct(offsets, grouped, userCount);
    }

    private static void CountPerUser(ReadOnlySpan<int> users, int[] offsets)
    {
        foreach (var user in users) offsets[user + 1]++;
    }

    /// <summary>Turns per-user counts into start offsets; returns a write cursor per user and the array the pairs are grouped in.</summary>
    private static (int[] Cursor, int[] Grouped) Placement(int[] offsets, int rows)
    {
        for (var u = 0; u < offsets.Length - 1; u++) offsets[u + 1] += offsets[u];
        return (offsets[..^1], new int[rows]);
    }

    private static void Place(ReadOnlySpan<int> users, ReadOnlySpan<int> items, int[] cursor, int[] grouped)
    {
        for (var row = 0; row < users.Length; row++)
            grouped[cursor[users[row]]++] = items[row];
    }

    /// <summary>
    /// The index of items already grouped by user: user u's at grouped[offsets[u]..offsets[u+1]],
    /// in any order, repeats allowed. Takes both arrays.
    /// </summary>
    internal static InteractionIndex FromGrouped(int[] offsets, int[] grouped, int userCount)
    {
        if (offsets.Length != userCount + 1 || offsets[^1] != grouped.Length)
            throw new ArgumentException("offsets must have one entry per user and one more, ending at the number of items");
        return SortedDistinct(offsets, grouped, userCount);
    }

    /// <summary>Sorts each user's items and drops repeats, compacting towards the front.</summary>
    private static InteractionIndex SortedDistinct(int[] offsets, int[] grouped, int userCount)
    {
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
        // Repeats leave a tail unused rather than a copy: a copy would hold the pairs twice at the moment it is made.
        return new InteractionIndex(offsets, grouped, exactLength: false);
    }

    public int UserCount => _offsets.Length - 1;

    /// <summary>Number of distinct (user, item) pairs.</summary>
    public int PairCount => _offsets[^1];

    /// <summary>The user's distinct items, ascending; empty for users outside the index.</summary>
    public ReadOnlySpan<int> ItemsOf(int user) =>
        (uint)user < (uint)UserCount ? _items.AsSpan(_offsets[user], _offsets[user + 1] - _offsets[user]) : [];

    public bool Contains(int user, int item) => ItemsOf(user).BinarySearch(item) >= 0;

    internal int[] Offsets => _offsets;
    /// <summary>The items of every user in turn: a view, never a copy (callers index it once per pair; a copy each time was quadratic on a log that repeats pairs).</summary>
    internal ReadOnlySpan<int> Items => _items.AsSpan(0, PairCount);
}
