namespace InverseLearning.Data;

/// <summary>
/// Where a training step's unlabeled rows come from: for each labeled row's user, ng items
/// whose label is unknown. <see cref="UnseenItemSampler"/> draws never-shown videos,
/// <see cref="MiddleBandSampler"/> the user's own middle-band impressions, <see cref="MixedSampler"/> both.
/// </summary>
public abstract class UnlabeledSampler
{
    /// <summary>Item indices lie in [1, ItemCount) (0 is the reserved unknown item).</summary>
    public abstract int ItemCount { get; }

    /// <summary>Fills itemsOut[r*ng + k] (k &lt; ng) with unlabeled items for users[r].</summary>
    public abstract void Sample(ReadOnlySpan<int> users, int ng, Span<int> itemsOut, Random rng);

    /// <summary>Whether <see cref="Sample"/> has an unlabeled item for <paramref name="user"/> (one who has seen every item has none unseen).</summary>
    public abstract bool CanDraw(int user);

    protected static void RequireRoom(ReadOnlySpan<int> users, int ng, Span<int> itemsOut)
    {
        if (itemsOut.Length < users.Length * ng)
            throw new ArgumentException($"itemsOut holds {itemsOut.Length} entries, need {users.Length * ng}", nameof(itemsOut));
    }
}
