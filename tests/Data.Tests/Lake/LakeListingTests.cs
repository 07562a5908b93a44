namespace InverseLearning.Data.Tests.Lake;

/// <summary>
/// The lake's listing a run's checkpoint records: every part below the lake's root, those --where or a glob leaves out too, so that
/// eval can tell them from parts added since. A glob's is its root's, the dataset it selects from.
/// </summary>
public sealed class LakeListingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public LakeListingTests()
    {
        foreach (var day in new[] { 1, 2, 3 }) LakeFiles.Part(_folder.At("lake", $"day=2024-01-0{day}", "part-0.parquet"), 100 * day, 2);
    }

    public void Dispose() => _folder.Dispose();

    private static readonly string[] EveryDay = ["day=2024-01-01/part-0.parquet", "day=2024-01-02/part-0.parquet", "day=2024-01-03/part-0.parquet"];

    [Fact]
    public void A_directory_under_where_lists_every_part_those_left_out_too()
    {
        var dataset = LogDataset.Open(_folder.At("lake"), "day>=2024-01-03");

        Assert.Single(dataset.Parts);
        Assert.Equal(EveryDay, dataset.Listing);
    }

    [Fact]
    public void A_glob_lists_every_part_of_its_root()
    {
        var dataset = LogDataset.Open(_folder.At("lake", "*=2024-01-03", "*.parquet"));

        Assert.Single(dataset.Parts);
        Assert.Equal(EveryDay, dataset.Listing);
    }

    [Fact]
    public void One_file_has_no_listing()
    {
        Assert.Null(LogDataset.Open(_folder.At("lake", "day=2024-01-01", "part-0.parquet")).Listing);
    }
}
