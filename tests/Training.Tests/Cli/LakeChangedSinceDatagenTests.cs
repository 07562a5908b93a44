using InverseLearning.Data;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// A simulation's lake whose rows are no longer its truth's is described part by part, each part stamped after the lake was
/// listed: a part removed in between is told as removed, as the streamed reader tells one, not as .NET's "Could not find file".
/// </summary>
public sealed class LakeChangedSinceDatagenTests
{
    [Fact]
    public void A_part_removed_after_the_lake_was_listed_is_told_as_removed()
    {
        var lake = Path.Combine(Path.GetTempPath(), "fix-misc56-" + Guid.NewGuid().ToString("N"));
        // Listed, then removed: the part's own file, and a partition's whole folder.
        foreach (var gone in new[] { Path.Combine(lake, "part-0.parquet"), Path.Combine(lake, "day=1", "part-1.parquet") })
        {
            LogDataset.PartFooter[] listed = [new(gone, 10, new Dictionary<string, string>())];

            var refused = Assert.Throws<DataException>(() => DatasetLoader.ChangedSinceDatagen(listed, extraRows: -10));

            Assert.Equal($"{gone}: removed while its parts were compared with the simulation's ground truth; run again", refused.Message);
        }
    }
}
