namespace InverseLearning.Data.Tests.Lake;

public class LogDatasetTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void SingleFileReadsAsOneLogWithoutPartitions()
    {
        LakeFiles.Part(_folder.At("log.parquet"), 1, 3);

        var read = LogDataset.Open(_folder.At("log.parquet")).Read();

        Assert.Equal([1L, 2, 3], read.Log.UserId);
        Assert.Empty(read.Partitions.Keys);
    }

    [Fact]
    public void DirectoryIsSearchedRecursivelyInOrdinalPathOrderSkippingMetadataFiles()
    {
        LakeFiles.Part(_folder.At("b", "part-0.parquet"), 300, 2);
        LakeFiles.Part(_folder.At("a", "part-1.parquet"), 200, 1);
        LakeFiles.Part(_folder.At("a", "part-0.parquet"), 100, 2);
        LakeFiles.Part(_folder.At("a", "_tmp", "part-9.parquet"), 900, 1);
        LakeFiles.Part(_folder.At("a", ".part-0.parquet.crc.parquet"), 800, 1);
        File.WriteAllText(_folder.At("_SUCCESS"), "");
        File.WriteAllText(_folder.At("a", "notes.txt"), "not a part");

        var dataset = LogDataset.Open(_folder.Path);
        var read = dataset.Read();

        Assert.Equal(3, dataset.Parts.Count);
        Assert.Equal([100L, 101, 200, 300, 301], read.Log.UserId);
        Assert.Equal(5, dataset.CountRows());
    }

    [Fact]
    public void A_linked_partition_folder_is_read_as_the_folder_it_points_to()
    {
        LakeFiles.Part(_folder.At("lake", "day=2024-01-01", "part-0.parquet"), 100, 2);
        LakeFiles.Part(_folder.At("elsewhere", "day=2024-01-02", "part-0.parquet"), 200, 1);
        Directory.CreateSymbolicLink(_folder.At("lake", "day=2024-01-02"), Path.Combine("..", "elsewhere", "day=2024-01-02"));

        var dataset = LogDataset.Open(_folder.At("lake"));

        Assert.Equal(2, dataset.Parts.Count);
        Assert.Equal([100L, 101, 200], dataset.Read().Log.UserId);
    }

    [Theory]
    [InlineData(".")]                           // the lake itself: a walk that would never end
    [InlineData("..")]                          // above the lake: the lake is reached again below the link
    [InlineData("day=2024-01-01")]              // beside: the same parts twice
    public void A_link_to_a_folder_the_dataset_holds_already_is_refused(string target)
    {
        LakeFiles.Part(_folder.At("lake", "day=2024-01-01", "part-0.parquet"), 100, 2);
        Directory.CreateSymbolicLink(_folder.At("lake", "day=2024-01-09"), target);

        var error = Assert.Throws<DataException>(() => LogDataset.Open(_folder.At("lake")));

        Assert.Contains($"{_folder.At("lake", "day=2024-01-09")}: a link to ", error.Message);
        Assert.Contains("its part files would be read twice", error.Message);
    }

    [Theory]
    [InlineData("symbolic")]
    [InlineData("hard")]
    public void A_part_file_linked_to_another_part_is_refused_not_read_twice(string kind)
    {
        LakeFiles.Part(_folder.At("lake", "day=2024-01-01", "part-0.parquet"), 100, 2);
        Directory.CreateDirectory(_folder.At("lake", "day=2024-01-02"));
        var copy = _folder.At("lake", "day=2024-01-02", "part-0.parquet");
        if (kind == "symbolic") File.CreateSymbolicLink(copy, _folder.At("lake", "day=2024-01-01", "part-0.parquet"));
        else FileIdentityTests.HardLink(_folder.At("lake", "day=2024-01-01", "part-0.parquet"), copy);

        var error = Assert.Throws<DataException>(() => LogDataset.Open(_folder.At("lake")));

        Assert.Equal($"{copy} is the same file as {_folder.At("lake", "day=2024-01-01", "part-0.parquet")} (a link to it); its rows would be read twice (remove the link)", error.Message);
    }

    [Fact]
    public void A_link_named_before_the_folder_it_points_to_is_the_one_named()
    {
        LakeFiles.Part(_folder.At("lake", "day=2024-01-09", "part-0.parquet"), 100, 2);
        Directory.CreateSymbolicLink(_folder.At("lake", "day=2024-01-00"), "day=2024-01-09");

        var error = Assert.Throws<DataException>(() => LogDataset.Open(_folder.At("lake")));

        Assert.StartsWith($"{_folder.At("lake", "day=2024-01-00")}: a link to ", error.Message);
        Assert.Contains($"reaches also as {_folder.At("lake", "day=2024-01-09")};", error.Message);
    }

    [Theory]
    [InlineData("missing")] // its target gone: a disk not mounted
    [InlineData("loop")]    // two links pointing at each other
    public void A_link_that_cannot_be_reached_is_refused_not_skipped(string kind)
    {
        LakeFiles.Part(_folder.At("lake", "day=2024-01-01", "part-0.parquet"), 100, 2);
        if (kind == "missing") Directory.CreateSymbolicLink(_folder.At("lake", "day=2024-01-02"), _folder.At("elsewhere", "day=2024-01-02"));
        else
        {
            Directory.CreateSymbolicLink(_folder.At("lake", "day=2024-01-02"), _folder.At("loop"));
            Directory.CreateSymbolicLink(_folder.At("loop"), _folder.At("lake", "day=2024-01-02"));
        }

        var error = Assert.Throws<DataException>(() => LogDataset.Open(_folder.At("lake")));

        Assert.StartsWith($"{_folder.At("lake", "day=2024-01-02")}: a link to ", error.Message);
        Assert.Contains("which cannot be reached", error.Message);
    }

    /// <summary>
    /// A glob judges only what it may read: a link to nothing it would not match (notes.txt beside **/*.parquet), or a folder it
    /// does not enter (a link back up, beside day=*), stopped the run. One it would read as a part, or as a folder of parts (named by
    /// its pattern, or a partition under **), still is refused: its rows would be dropped without a word.
    /// </summary>
    [Theory]
    [InlineData("**/*.parquet", "notes.txt", "/nonexistent/notes.txt", false)]
    [InlineData("day=*/*.parquet", "backup", "..", false)]                       // a loop the glob never enters
    [InlineData("d*/*.parquet", "other", "/nonexistent/other", false)]
    [InlineData("**/*.parquet", "old.parquet", "/nonexistent/old.parquet", true)]  // a part
    [InlineData("**/*.parquet", "day=2024-01-02", "/nonexistent/day=2024-01-02", true)] // a partition on a disk not mounted
    [InlineData("d*/*.parquet", "dx", "/nonexistent/dx", true)]                  // a folder the pattern names
    public void A_glob_judges_only_the_links_it_may_read(string glob, string link, string target, bool refused)
    {
        LakeFiles.Part(_folder.At("lake", "day=2024-01-01", "part-0.parquet"), 100, 2);
        Directory.CreateSymbolicLink(_folder.At("lake", link), target);
        var spec = _folder.At("lake", glob);

        if (refused)
            Assert.StartsWith($"{_folder.At("lake", link)}: a link to ", Assert.Throws<DataException>(() => LogDataset.Open(spec)).Message);
        else
            Assert.Equal([100L, 101], LogDataset.Open(spec).Read().Log.UserId);
    }

    [Fact]
    public void PartsWithDifferentRowGroupLayoutsAndNullabilityReadAlike()
    {
        // One part from the product's writer (required ids, one row group), one with nullable ids in row groups of 2.
        LakeFiles.Part(_folder.At("p0.parquet"), 1, 3);
        ParquetFixture.Write(_folder.At("p1.parquet"), 2,
            ParquetFixture.NullableInt64("user_id", 10, 11, 12, 13, 14),
            ParquetFixture.NullableInt64("item_id", 5, 5, 5, 5, 5),
            ParquetFixture.NullableFloat("rating", 1, 2, 3, null, 5));

        var log = LogDataset.Open(_folder.Path).Read().Log;

        Assert.Equal([1L, 2, 3, 10, 11, 12, 13, 14], log.UserId);
        Assert.Equal([true, true, true, true, true, true, false, true], log.Rating!.HasValue);
        Assert.Equal(3f, log.Rating.Values[5]);
    }

    [Fact]
    public void AFolderWhoseNameStartsWithEqualsIsNotAPartition()
    {
        // Hive's key=value needs a key: "=2024" names no column, so it is an ordinary folder on the way to the part.
        LakeFiles.Part(_folder.At("=2024", "day=2024-01-01", "part-0.parquet"), 1, 1);

        Assert.Equal(["day"], LogDataset.Open(_folder.Path).PartitionKeys);
    }

    [Fact]
    public void HivePartitionDirectoriesBecomeColumns()
    {
        LakeFiles.Part(_folder.At("day=2024-01-01", "city=New%20York", "part-0.parquet"), 1, 2);
        LakeFiles.Part(_folder.At("day=2024-01-01", "city=Paris", "part-0.parquet"), 10, 1);
        LakeFiles.Part(_folder.At("day=2024-01-02", "city=Paris", "part-0.parquet"), 20, 3);

        var read = LogDataset.Open(_folder.Path).Read();

        Assert.Equal(["day", "city"], read.Partitions.Keys);
        Assert.Equal([1L, 2, 10, 20, 21, 22], read.Log.UserId);
        string[] days = ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-02"];
        string[] cities = ["New York", "New York", "Paris", "Paris", "Paris", "Paris"];
        for (var row = 0; row < 6; row++)
        {
            Assert.Equal(days[row], read.Partitions.ValueAt("day", row));
            Assert.Equal(cities[row], read.Partitions.ValueAt("city", row));
        }
    }

    [Fact]
    public void SplitPartitionsFillTheSplitColumnTheFilesLeaveOut()
    {
        LakeFiles.Part(_folder.At("split=test", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("split=train", "part-0.parquet"), 5, 2);
        LakeFiles.Part(_folder.At("split=valid", "part-0.parquet"), 9, 1);

        var log = LogDataset.Open(_folder.Path).Read().Log;

        Assert.Equal([SplitTag.Test, SplitTag.Train, SplitTag.Train, SplitTag.Valid], log.Split);
    }

    [Fact]
    public void EmptyPartsKeepRowsWithTheirOwnPartition()
    {
        LakeFiles.Part(_folder.At("h=1", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("h=2", "part-0.parquet"), 5, 0);
        LakeFiles.Part(_folder.At("h=3", "part-0.parquet"), 9, 2);

        var read = LogDataset.Open(_folder.Path).Read();

        Assert.Equal(["1", "3", "3"], Enumerable.Range(0, 3).Select(r => read.Partitions.ValueAt("h", r)));
        Assert.Equal((1, 0), read.Partitions.RowsOf(1));
    }

    /// <summary>A part added since the listing is named only where the same --where keeps it: one it drops would be read by no run either way.</summary>
    [Fact]
    public void AddedPartsAreThoseTheSameWhereKeeps()
    {
        LakeFiles.Part(_folder.At("day=2024-01-02", "part-0.parquet"), 2, 1);
        var dataset = LogDataset.Open(_folder.Path, "day>=2024-01-02");

        LakeFiles.Part(_folder.At("day=2024-01-01", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("day=2024-01-03", "part-0.parquet"), 3, 1);

        Assert.Equal([_folder.At("day=2024-01-03", "part-0.parquet")], dataset.AddedParts());
    }

    [Fact]
    public void WherePrunesPartitionsWithoutReadingThem()
    {
        LakeFiles.Part(_folder.At("day=2024-01-01", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("day=2024-01-02", "part-0.parquet"), 2, 1);
        LakeFiles.Part(_folder.At("day=2024-01-03", "part-0.parquet"), 3, 1);
        // A damaged part in a pruned partition: reading it would fail, so passing proves it is never opened.
        Directory.CreateDirectory(_folder.At("day=2023-12-31"));
        File.WriteAllText(_folder.At("day=2023-12-31", "part-0.parquet"), "not parquet at all");

        var kept = LogDataset.Open(_folder.Path, "day>=2024-01-02").Read();
        var between = LogDataset.Open(_folder.Path, "day > 2024-01-01 and day<'2024-01-03'").Read();
        var unpruned = Assert.Throws<DataException>(() => LogDataset.Open(_folder.Path).Read());

        Assert.Equal([2L, 3], kept.Log.UserId);
        Assert.Equal("2024-01-03", kept.Partitions.ValueAt("day", 1));
        Assert.Equal([2L], between.Log.UserId);
        Assert.Contains("day=2023-12-31", unpruned.Message);
        Assert.Contains("not a readable Parquet file", unpruned.Message);
    }

    [Fact]
    public void WhereComparesNumbersAsNumbersAndOtherValuesAsText()
    {
        LakeFiles.Part(_folder.At("hour=2", "part-0.parquet"), 2, 1);
        LakeFiles.Part(_folder.At("hour=9", "part-0.parquet"), 9, 1);
        LakeFiles.Part(_folder.At("hour=10", "part-0.parquet"), 10, 1);

        // As text "9" > "10"; as numbers only 10 passes.
        Assert.Equal([10L], LogDataset.Open(_folder.Path, "hour>=10").Read().Log.UserId);
        Assert.Equal([2L, 9], LogDataset.Open(_folder.Path, "hour!=10").Read().Log.UserId);
        Assert.Equal([9L], LogDataset.Open(_folder.Path, "hour=9").Read().Log.UserId);
        Assert.Equal([2L, 9], LogDataset.Open(_folder.Path, "hour<=9").Read().Log.UserId);   // the bound itself kept; as text "10" <= "9" too
        Assert.Equal([9L], LogDataset.Open(_folder.Path, "hour='9' and hour != \"2\"").Read().Log.UserId);    // quoted values too
    }

    [Fact]
    public void WhereReadsAQuotedValueWholeThoughItHoldsACommaOrAnd()
    {
        LakeFiles.Part(_folder.At("region=a,b", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("region=x and y", "part-0.parquet"), 2, 1);
        LakeFiles.Part(_folder.At("region=a", "part-0.parquet"), 3, 1);

        Assert.Equal([1L], LogDataset.Open(_folder.Path, "region='a,b'").Read().Log.UserId);
        Assert.Equal([2L], LogDataset.Open(_folder.Path, "region = \"x and y\" and region!='a, b'").Read().Log.UserId);
        Assert.Equal([2L, 3], LogDataset.Open(_folder.Path, "region!='a,b', region != 'q'").Read().Log.UserId.Order());
    }

    [Fact]
    public void GlobSelectsFilesAndItsLiteralPrefixIsThePartitionRoot()
    {
        LakeFiles.Part(_folder.At("lake", "day=1", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("lake", "day=1", "part-1.parquet"), 2, 1);
        LakeFiles.Part(_folder.At("lake", "day=2", "part-0.parquet"), 3, 1);
        LakeFiles.Part(_folder.At("lake", "day=2", "nested", "part-0.parquet"), 4, 1);

        var zeros = LogDataset.Open(_folder.At("lake", "day=*", "part-0.parquet")).Read();
        var deep = LogDataset.Open(_folder.At("lake", "**", "*.parquet")).Read();

        Assert.Equal([1L, 3], zeros.Log.UserId);
        Assert.Equal(["1", "2"], zeros.Partitions.ValuesOf("day"));
        // Ordinal path order: "day=2/nested/..." sorts before "day=2/part-0.parquet".
        Assert.Equal([1L, 2, 4, 3], deep.Log.UserId);
    }

    [Fact]
    public void BadRowErrorNamesThePartAndTheRowWithinIt()
    {
        LakeFiles.Part(_folder.At("day=1", "part-0.parquet"), 1, 3);
        LakeFiles.Part(_folder.At("day=2", "part-0.parquet"), 10, 2, rating: 9);

        var error = Assert.Throws<DataException>(() => LogDataset.Open(_folder.Path).Read());

        Assert.StartsWith(_folder.At("day=2", "part-0.parquet") + ": column 'rating', row 1:", error.Message);
    }

    [Fact]
    public void SkippedRowsShrinkTheirPartsRange()
    {
        LakeFiles.Part(_folder.At("day=1", "part-0.parquet"), 1, 2, rating: 9);
        LakeFiles.Part(_folder.At("day=2", "part-0.parquet"), 10, 2);

        var read = LogDataset.Open(_folder.Path).Read(new ReadOptions(BadRowPolicy.Skip));

        Assert.Equal([10L, 11], read.Log.UserId);
        Assert.Equal(2, read.Log.SkippedRows.Total);
        Assert.Equal((0, 0), read.Partitions.RowsOf(0));
        Assert.Equal("2", read.Partitions.ValueAt("day", 0));
    }
}
