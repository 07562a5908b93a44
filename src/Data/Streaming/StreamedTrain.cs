namespace InverseLearning.Data;

/// <summary>
/// The training rows of a streamed dataset, which it does not hold: the passes over all of them
/// and over training-train and training-test apart, what the first pass counted of them
/// (rows and positives per user, for the unlabeled sources and the colliding strategies), a digest of them in file order (for the
/// checkpoint's fingerprint), the bad rows it skipped, and the rows of the largest row group
/// (what an epoch holds of the lake at once, besides its shuffle buffer).
/// </summary>
public sealed record StreamedTrain(StreamedRows All, StreamedRows TrainTrain, StreamedRows TrainTest, int[] RowsPerUser, int[] PositivesPerUser, ulong Digest)
{
    public BadRowReport SkippedRows { get; init; } = new();
    public int LargestGroupRows { get; init; }

    /// <summary>
    /// Bytes an epoch's pass holds: the shuffle buffer (12 per row) and, per row of the largest
    /// group, two groups' kept rows (24), the group read (ids 16, the label columns 18, label and
    /// split 2) and Parquet.Net's decode buffers (about 20); split by time, each row's timestamp and day besides (16).
    /// </summary>
    public long EpochBytes => 12L * All.BufferRows + (All.Source.ByTime is null ? 80L : 96L) * LargestGroupRows;

    /// <summary>The lake's part files added since the first pass listed it, which no pass of this run reads (<see cref="LogDataset.AddedParts"/>).</summary>
    public IReadOnlyList<string> AddedParts() => All.Source.Dataset.AddedParts();
}
