namespace InverseLearning.Data;

/// <summary>
/// Each unlabeled slot independently: with probability <c>impressionShare</c> one of the user's
/// middle-band impressions, otherwise a never-shown item. A user without middle-band
/// impressions gets never-shown items only.
/// </summary>
public sealed class MixedSampler : UnlabeledSampler
{
    private readonly UnseenItemSampler _unseen;
    private readonly MiddleBandSampler _impressions;
    private readonly double _impressionShare;

    public MixedSampler(UnseenItemSampler unseen, MiddleBandSampler impressions, double impressionShare)
    {
        if (impressionShare is < 0 or > 1 || double.IsNaN(impressionShare))
            throw new ArgumentOutOfRangeException(nameof(impressionShare), impressionShare, "the share of impressions must be in [0, 1]");
        if (unseen.ItemCount != impressions.ItemCount) throw new ArgumentException("the two samplers disagree on the catalogue size");
        _unseen = unseen;
        _impressions = impressions;
        _impressionShare = impressionShare;
    }

    public override int ItemCount => _unseen.ItemCount;

    // Any slot may be drawn from the unseen items (every slot of a user without impressions is).
    public override bool CanDraw(int user) => _unseen.CanDraw(user);

    public override void Sample(ReadOnlySpan<int> users, int ng, Span<int> itemsOut, Random rng)
    {
        RequireRoom(users, ng, itemsOut);
        for (var r = 0; r < users.Length; r++)
        {
            var user = users[r];
            var canMix = _impressions.HasImpressions(user);
            for (var k = 0; k < ng; k++)
                itemsOut[r * ng + k] = canMix && rng.NextDouble() < _impressionShare
                    ? _impressions.SampleOne(user, rng)
                    : _unseen.SampleOne(user, rng);
        }
    }
}
