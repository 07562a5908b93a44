namespace InverseLearning.Data;

/// <summary>
/// What a streamed run reads again at every pass: the dataset's parts, how to read, label and split them.
/// Labeled rows split by hash of (user, item, seed), or by day when <paramref name="ByTime"/> is given
/// (training-test then drawn by the hash): the first pass finds the days and sets <see cref="Cut"/>.
/// A held read (<see cref="PreparedDataset.Hold"/>) may also split randomly, drawing in file order,
/// and draws training-test itself unless it splits by hash.
/// </summary>
public sealed record LakeSource(LogDataset Dataset, ReadOptions Read, LabelingOptions Labeling, SplitOptions Split, TimeSplit? ByTime = null)
{
    /// <summary>Where a split by time cuts this lake's days, once the first pass has found them.</summary>
    internal DayCut? Cut { get; init; }

    /// <summary>
    /// Each part's stamp as the pass that took the groups' digests opened it, once it has: every later pass finds them again or
    /// stops. A part rewritten with the same training rows (another play time, say) passes the digests, yet eval, export and --resume
    /// refuse the checkpoint for its stamp.
    /// </summary>
    internal IReadOnlyList<PartStamp>? FirstPassStamps { get; init; }

    /// <summary>
    /// A reader over the parts (footers read now); progress is left to the caller. <paramref name="labelColumnsOnly"/>: see <see cref="LakeReader"/>.
    /// <paramref name="afterFirstPass"/>: a pass after the first, whose parts the first pass read; one that no longer opens is told as the lake changed.
    /// </summary>
    internal LakeReader Open(bool labelColumnsOnly = false, IReadOnlySet<string>? alsoRead = null, bool afterFirstPass = false) =>
        Synchronously.Run(() => LakeReader.OpenAsync(this with { Read = Read with { Progress = null } }, labelColumnsOnly, alsoRead, afterFirstPass));
}
