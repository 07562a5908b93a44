namespace InverseLearning.Data;

/// <summary>
/// Draws, for a user, items uniformly among those in [1, itemCount) the user never
/// interacted with. Instead of rejecting seen items, it draws a rank k among the unseen
/// items and finds the k-th unseen item by binary search over the user's sorted seen
/// items: O(log seen) per sample whatever the catalogue size or how much the user has
/// seen, with no retry loop.
/// </summary>
public sealed class UnseenItemSampler : UnlabeledSampler
{
    private readonly InteractionIndex _seen;
    private readonly int _itemCount;
    private readonly Vocabulary? _users;

    /// <param name="users">The log's users, to name a user by its raw id (the log's) in an error; without it, by its index.</param>
    public UnseenItemSampler(InteractionIndex seen, int itemCount, Vocabulary? users = null)
    {
        if (itemCount < 2) throw new ArgumentOutOfRangeException(nameof(itemCount), "need at least one item besides the reserved index 0");
        for (var user = 0; user < seen.UserCount; user++)
        {
            var items = seen.ItemsOf(user);
            if (items.Length > 0 && (items[0] < 1 || items[^1] >= itemCount))
                throw new ArgumentException($"user {user} has seen item {(items[0] < 1 ? items[0] : items[^1])}, outside [1, {itemCount})", nameof(seen));
        }
        _seen = seen;
        _itemCount = itemCount;
        _users = users;
    }

    public override int ItemCount => _itemCount;

    public override bool CanDraw(int user) => _seen.ItemsOf(user).Length < _itemCount - 1;

    /// <summary>Fills itemsOut[r*ng + k] (k &lt; ng) with unseen items for users[r].</summary>
    public override void Sample(ReadOnlySpan<int> users, int ng, Span<int> itemsOut, Random rng)
    {
        RequireRoom(users, ng, itemsOut);
        for (var r = 0; r < users.Length; r++)
        {
            var seen = _seen.ItemsOf(users[r]);
            var unseen = _itemCount - 1 - seen.Length;
            // Worded for train and experiment alike, each one's flag named: neither verb rewrites it.
            if (unseen <= 0)
                throw new DataException($"{(_users is null ? $"user index {users[r]}" : $"user id {_users.RawId(users[r])}")} has interacted with every item of the catalogue, so no unlabeled item can be drawn for it; " +
                    "train only without unlabeled rows: the method none with --ng 0 (train's --method none, experiment's --methods none), or a log whose users leave some items unseen");
            for (var k = 0; k < ng; k++)
                itemsOut[r * ng + k] = KthUnseen(seen, rng.Next(unseen));
        }
    }

    /// <summary>One unseen item for the user (used by the mixed sampler slot by slot).</summary>
    internal int SampleOne(int user, Random rng)
    {
        Span<int> item = stackalloc int[1];
        Sample([user], 1, item, rng);
        return item[0];
    }

    /// <summary>
    /// The k-th (from 0) item of [1, itemCount) not in <paramref name="seen"/>. Before seen[t]
    /// lie seen[t] − 1 − t unseen items, a non-decreasing sequence; the answer is
    /// k + 1 + (number of t with seen[t] − 1 − t ≤ k).
    /// </summary>
    internal static int KthUnseen(ReadOnlySpan<int> seen, int k)
    {
        int lo = 0, hi = seen.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (seen[mid] - 1 - mid <= k) lo = mid + 1;
            else hi = mid;
        }
        return k + 1 + lo;
    }
}
