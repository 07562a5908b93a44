namespace InverseLearning.Data.Tests.Lake;

/// <summary>A part's stamp (its length and its footer's hash): the same for a copy, another for as many rows of other values.</summary>
public sealed class PartStampTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_copy_has_the_same_stamp_and_as_many_other_rows_another()
    {
        LakeFiles.Part(_folder.At("part-0.parquet"), 100, 3);
        File.Copy(_folder.At("part-0.parquet"), _folder.At("copy.parquet"));
        LakeFiles.Part(_folder.At("other.parquet"), 200, 3);

        var stamp = PartStamp.Of(_folder.At("part-0.parquet"));

        Assert.Equal(new FileInfo(_folder.At("part-0.parquet")).Length, stamp.Bytes);
        Assert.Null(stamp.Change(PartStamp.Of(_folder.At("copy.parquet"))));
        Assert.NotNull(stamp.Change(PartStamp.Of(_folder.At("other.parquet"))));
    }

    [Fact]
    public void A_change_says_what_differs()
    {
        var stamp = new PartStamp(4_120, "aa");

        Assert.Equal("4,120 bytes, now 4,096", stamp.Change(new PartStamp(4_096, "aa")));
        Assert.Equal("as many bytes, 4,120, but another footer (its row groups' offsets or statistics differ)", stamp.Change(new PartStamp(4_120, "bb")));
    }

    [Fact]
    public void A_file_too_short_for_a_footer_is_refused_naming_it()
    {
        File.WriteAllBytes(_folder.At("short.parquet"), [1, 2, 3]);

        var error = Assert.Throws<DataException>(() => PartStamp.Of(_folder.At("short.parquet")));
        Assert.Contains(_folder.At("short.parquet"), error.Message);
    }

    [Fact]
    public void A_footer_length_past_the_files_start_is_refused_as_damaged()
    {
        // 16 bytes: the footer's length (10) leaves no room for it before the last 8, though it is under the file's length.
        File.WriteAllBytes(_folder.At("damaged.parquet"), [.. "PAR1"u8, 0, 0, 0, 0, 10, 0, 0, 0, .. "PAR1"u8]);

        var error = Assert.Throws<DataException>(() => PartStamp.Of(_folder.At("damaged.parquet")));
        Assert.Contains("its footer length 10 does not fit the file's 16 bytes", error.Message);
    }
}
