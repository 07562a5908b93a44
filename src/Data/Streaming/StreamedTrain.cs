namespace InverseLearning.Data;

/// <summary>
/// The training rows of a streamed dataset, which it does not hold: the passes over all of them
/// and over training-train and training-test apart, what the first pass counted of them
/// (positives per user, for the colliding strategies), a digest of them in file order (for the
/// checkpoint's fingerprint), and the bad rows it skipped.
/// </summary>
public sealed record StreamedTrain(StreamedRows All, StreamedRows TrainTrain, StreamedRows TrainTest, int[] PositivesPerUser, ulong Digest)
{
    public BadRowReport SkippedRows { get; init; } = new();
}
