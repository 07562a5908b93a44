namespace InverseLearning.Data;

/// <summary>What a streamed run reads again at every pass: the dataset's parts, how to read, label and split them.</summary>
public sealed record LakeSource(LogDataset Dataset, ReadOptions Read, LabelingOptions Labeling, SplitOptions Split)
{
    /// <summary>A reader over the parts (footers read now); progress is left to the caller. <paramref name="labelColumnsOnly"/>: see <see cref="LakeReader"/>.</summary>
    internal LakeReader Open(bool labelColumnsOnly = false, IReadOnlySet<string>? alsoRead = null) =>
        Task.Run(() => LakeReader.OpenAsync(Dataset, Read with { Progress = null }, Labeling, Split, labelColumnsOnly, alsoRead)).GetAwaiter().GetResult();
}
