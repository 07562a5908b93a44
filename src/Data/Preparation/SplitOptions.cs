namespace InverseLearning.Data;

/// <summary>
/// How labeled rows are split when the log has no split column (Train/Valid shares, the
/// rest is Test; sizes rounded to the nearest row), and the share of Train held out as
/// training-test. The same seed gives the same split on any machine (<see cref="SplitMix64"/>).
/// <paramref name="ByHash"/>: each row's split is a hash of (user, item, seed) instead
/// (<see cref="HashSplit"/>; shares met in expectation, any split column ignored), the split a
/// streamed read can make.
/// </summary>
public sealed record SplitOptions(int Seed = 42, double TrainShare = 0.6, double ValidShare = 0.2, double TrainTestShare = 0.1, bool ByHash = false)
{
    internal void Validate()
    {
        if (TrainShare is < 0 or > 1 || ValidShare is < 0 or > 1 || TrainShare + ValidShare > 1 + 1e-12)
            throw new ArgumentException($"split shares must lie in [0, 1] and TrainShare + ValidShare <= 1; got {TrainShare} and {ValidShare}");
        if (TrainTestShare is < 0 or > 1)
            throw new ArgumentException($"TrainTestShare must lie in [0, 1]; got {TrainTestShare}");
    }
}
