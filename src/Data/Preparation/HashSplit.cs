namespace InverseLearning.Data;

/// <summary>
/// The split of a labeled row as a pure function of (raw user id, raw item id, seed): no
/// global shuffle and no row order, so a streamed read that sees each row once, in any order,
/// splits exactly as a read of the whole log does. Every row of a (user, item) pair lands in
/// the same split. Shares are met in expectation, not exactly: sizes are approximate.
/// </summary>
internal static class HashSplit
{
    // Keeps the split's hash stream apart from every other use of the seed.
    private const long Salt = 0x5EED_5117;

    public static RowAssignment Assign(long userId, long itemId, SplitOptions options)
    {
        var hash = Hash(userId, itemId, options);
        var draw = Unit(hash);
        if (draw < options.TrainShare) return TrainPart(hash, options);
        return draw < options.TrainShare + options.ValidShare ? RowAssignment.Valid : RowAssignment.Test;
    }

    /// <summary>A training row's part, training-train or training-test, by the same hash: what a split by time draws its training-test with.</summary>
    public static RowAssignment AssignTrain(long userId, long itemId, SplitOptions options) => TrainPart(Hash(userId, itemId, options), options);

    private static ulong Hash(long userId, long itemId, SplitOptions options) => SplitMix64.Mix((long)SplitMix64.Mix(options.Seed ^ Salt, userId), itemId);

    private static RowAssignment TrainPart(ulong hash, SplitOptions options) =>
        Unit(SplitMix64.Mix((long)hash, 1)) < options.TrainTestShare ? RowAssignment.TrainTest : RowAssignment.TrainTrain;

    /// <summary>The top 53 bits as a uniform double in [0, 1).</summary>
    private static double Unit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));
}
