namespace InverseLearning.Data;

/// <summary>
/// Draws, for a user, uniformly (with replacement) among the items of the user's own
/// impressions that the label rule left unlabeled — the feed's middle band (slow skips,
/// short stays): the unclear feedback of a passive feed, rather than videos never shown.
/// </summary>
public sealed class MiddleBandSampler : UnlabeledSampler
{
    private readonly InteractionIndex _middle;
    private readonly Vocabulary? _users;

    /// <param name="middle">Per user, the items of its unlabeled impressions (see <see cref="PreparedDataset.MiddleBand"/>).</param>
    /// <param name="users">The log's users, to name a user by its raw id (the log's) in an error; without it, by its index.</param>
    public MiddleBandSampler(InteractionIndex middle, int itemCount, Vocabulary? users = null)
    {
        if (itemCount < 2) throw new ArgumentOutOfRangeException(nameof(itemCount), "need at least one item besides the reserved index 0");
        _middle = middle;
        _users = users;
        ItemCount = itemCount;
    }

    public override int ItemCount { get; }

    public bool HasImpressions(int user) => _middle.ItemsOf(user).Length > 0;

    public override bool CanDraw(int user) => HasImpressions(user);

    public override void Sample(ReadOnlySpan<int> users, int ng, Span<int> itemsOut, Random rng)
    {
        RequireRoom(users, ng, itemsOut);
        for (var r = 0; r < users.Length; r++)
            for (var k = 0; k < ng; k++)
                itemsOut[r * ng + k] = SampleOne(users[r], rng);
    }

    internal int SampleOne(int user, Random rng)
    {
        var items = _middle.ItemsOf(user);
        if (items.Length == 0)
            throw new DataException($"{(_users is null ? $"user index {user}" : $"user id {_users.RawId(user)}")} has no middle-band impressions to draw unlabeled rows from; use --unlabeled-source unseen or both");
        return items[rng.Next(items.Length)];
    }
}
