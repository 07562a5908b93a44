using InverseLearning.Data;

namespace InverseLearning.Training.Models;

/// <summary>
/// Each user's implicit feedback as item indices, in compressed rows: user u's items are
/// Items[Offsets[u] .. Offsets[u + 1]). CDAE's input vector, kept sparse.
/// </summary>
public sealed class UserHistory
{
    public UserHistory(int[] offsets, int[] items)
    {
        Offsets = offsets;
        Items = items;
    }

    /// <summary>No user, no history: a model built for its shapes only.</summary>
    public static UserHistory Empty => new([0], []);

    public int[] Offsets { get; }
    public int[] Items { get; }
    public int UserCount => Offsets.Length - 1;

    /// <summary>One past the largest item index in any history (at least 1): what per-item buffers need.</summary>
    public int ItemBound => Items.Length == 0 ? 1 : Items.Max() + 1;

    public ReadOnlySpan<int> Of(int user) => Items.AsSpan(Offsets[user], Offsets[user + 1] - Offsets[user]);

    /// <summary>The positive rows of <paramref name="set"/> (each (user, item) once), grouped by user, each user's items ascending.</summary>
    public static UserHistory FromPositives(int users, LabeledSet set)
    {
        var positives = set.PositiveCount;
        var (positiveUsers, positiveItems) = (new int[positives], new int[positives]);
        var next = 0;
        for (var r = 0; r < set.Count; r++)
            if (set.Labels[r] > 0.5f) (positiveUsers[next], positiveItems[next++]) = (set.Users[r], set.Items[r]);
        // The log's own index of pairs (grouped, sorted, repeats dropped) rather than a set of tuples: a fraction of the memory on a large log.
        var index = InteractionIndex.Build(positiveUsers, positiveItems, users);
        var offsets = new int[users + 1];
        var items = new int[index.PairCount];
        for (var u = 0; u < users; u++)
        {
            var history = index.ItemsOf(u);
            history.CopyTo(items.AsSpan(offsets[u]));
            offsets[u + 1] = offsets[u] + history.Length;
        }
        return new UserHistory(offsets, items);
    }

    /// <summary>The most history entries <paramref name="users"/> distinct users can hold together: the sum of the longest histories.</summary>
    public int MaxEntries(int users)
    {
        var lengths = new int[UserCount];
        for (var u = 0; u < UserCount; u++) lengths[u] = Offsets[u + 1] - Offsets[u];
        Array.Sort(lengths);
        long total = 0;
        for (var k = 0; k < Math.Min(users, lengths.Length); k++) total += lengths[^(k + 1)];
        return (int)Math.Min(total, int.MaxValue);
    }
}
