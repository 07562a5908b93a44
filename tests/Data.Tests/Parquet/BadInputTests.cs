using System.Buffers.Binary;
using static InverseLearning.Data.Tests.ParquetFixture;

namespace InverseLearning.Data.Tests.Parquet;

public class BadInputTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public BadInputTests() => _path = _folder.File("bad.parquet");

    public void Dispose() => _folder.Dispose();

    private DataException ReadFails(ReadOptions? options = null) =>
        Assert.Throws<DataException>(() => InteractionLogParquet.Read(_path, options));

    [Fact]
    public void MissingRequiredColumnIsNamed()
    {
        Write(_path, Int64("user_id", 1, 2), Int64("rating_x", 1, 2));

        var error = ReadFails();

        Assert.Contains(_path, error.Message);
        Assert.Contains("missing required column 'item_id'", error.Message);
        Assert.Contains("'rating_x'", error.Message);
    }

    [Fact]
    public void WrongTypeNamesColumnFoundAndExpectedTypes()
    {
        Write(_path, Int64("user_id", 1), Int64("item_id", 2), Double("rating", 4.0));

        var error = ReadFails();

        Assert.Contains(_path, error.Message);
        // pandas' default float is double: "expected float" left open which width, and how to get it.
        Assert.EndsWith("column 'rating' has type double, expected float; store rating as float (float32), e.g. pandas' df['rating'].astype('float32')", error.Message);
    }

    [Fact]
    public void Int32IdsAreAWrongType()
    {
        Write(_path, Int32("user_id", 1), Int64("item_id", 2));

        Assert.Contains("column 'user_id' has type int32, expected int64", ReadFails().Message);
    }

    [Theory]
    [InlineData("user_id")]
    [InlineData("item_id")]
    public void NullIdNamesColumnAndRowAcrossRowGroups(string column)
    {
        long?[] ids = [1, 2, 3, 4, null, 6];
        long[] other = [1, 2, 3, 4, 5, 6];
        Write(_path, rowGroupSize: 3,
            column == "user_id" ? NullableInt64("user_id", ids) : Int64("user_id", other),
            column == "item_id" ? NullableInt64("item_id", ids) : Int64("item_id", other));

        var error = ReadFails();

        Assert.Contains(_path, error.Message);
        Assert.Contains($"column '{column}', row 5:", error.Message);
        Assert.Contains("found null", error.Message);
    }

    [Fact]
    public void NonPositiveDurationWherePlayTimeIsGivenIsBad()
    {
        Write(_path, Int64("user_id", 1, 1, 1), Int64("item_id", 1, 2, 3),
            NullableInt64("play_time_ms", null, 5, 5),
            NullableInt64("duration_ms", 0, 10, 0));

        var error = ReadFails();

        Assert.Contains(_path, error.Message);
        Assert.Contains("column 'duration_ms', row 3: expected a duration > 0 where play time is given, found 0", error.Message);
    }

    [Fact]
    public void NegativePlayTimeIsBad()
    {
        Write(_path, Int64("user_id", 1, 1), Int64("item_id", 1, 2), NullableInt64("play_time_ms", 0, -1));

        var error = ReadFails();

        Assert.Contains(_path, error.Message);
        Assert.Contains("column 'play_time_ms', row 2: expected a play time >= 0, found -1", error.Message);
    }

    [Theory]
    [InlineData(0.99f, 1, 5)]
    [InlineData(5.01f, 1, 5)]
    [InlineData(float.NaN, 1, 5)]
    [InlineData(5.5f, 0, 5)]
    public void RatingOutsideDeclaredRangeIsBad(float rating, float min, float max)
    {
        Write(_path, Int64("user_id", 1, 1), Int64("item_id", 1, 2), NullableFloat("rating", 3, rating));

        var error = ReadFails(new ReadOptions(RatingMin: min, RatingMax: max));

        Assert.Contains(_path, error.Message);
        Assert.Contains($"column 'rating', row 2: expected a rating in [{min}, {max}]", error.Message);
    }

    [Fact]
    public void RatingsAtTheRangeEndsAreFine()
    {
        Write(_path, Int64("user_id", 1, 1), Int64("item_id", 1, 2), NullableFloat("rating", 1, 5));

        Assert.Equal(2, InteractionLogParquet.Read(_path).Count);
    }

    [Fact]
    public void UnknownSplitNameIsBad()
    {
        Write(_path, Int64("user_id", 1, 1), Int64("item_id", 1, 2), Text("split", "train", "holdout"));

        var error = ReadFails();

        Assert.Contains("column 'split', row 2: expected split 'train', 'valid' or 'test', found 'holdout' (use --on-bad-row skip", error.Message);
    }

    [Fact]
    public void NullSplitIsToldAsNull()
    {
        // It was told only what was expected, as a misspelt name is.
        Write(_path, Int64("user_id", 1, 1, 1), Int64("item_id", 1, 2, 3), Text("split", "train", "test", null));

        Assert.Equal($"{_path}: column 'split', row 3: expected split 'train', 'valid' or 'test', found null (use --on-bad-row skip to leave such rows out)", ReadFails().Message);
    }

    [Fact]
    public void GarbageFileIsUnreadable()
    {
        File.WriteAllText(_path, "user_id,item_id\n1,2\n");

        var error = ReadFails();

        Assert.Contains(_path, error.Message);
        Assert.Contains("not a readable Parquet file", error.Message);
    }

    [Fact]
    public void AReadersOwnFailureIsNamedInWordsAndAnIoFailureInItsOwn()
    {
        Assert.Equal("its metadata could not be decoded: the footer is damaged", ParquetPart.Unreadable(new NullReferenceException()));
        Assert.Equal("Unexpected end of stream", ParquetPart.Unreadable(new IOException("Unexpected end of stream")));
    }

    [Fact]
    public void ANamedPipeIsRefusedBeforeItIsOpened()
    {
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [_path])) mkfifo.WaitForExit();

        var error = ReadFails();

        Assert.Equal($"{_path}: is empty, or not a regular file (a named pipe or a device); expected a file", error.Message);
    }

    [Theory]
    [InlineData(100, "it starts with Parquet's PAR1 marker but does not end with it")]
    [InlineData(-4, "it is 4 bytes, too short for a Parquet file's markers and footer")]
    public void AParquetFileCutShortIsSaidToBe(int cut, string reason)
    {
        InteractionLogParquet.Write(SampleLogs.RandomRatings(200, 20, 30, seed: 1), _path);
        var bytes = File.ReadAllBytes(_path);
        File.WriteAllBytes(_path, cut > 0 ? bytes[..^cut] : bytes[..-cut]);

        Assert.Equal($"{_path}: not a readable Parquet file ({reason}: the file is damaged or truncated)", ReadFails().Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var error = ReadFails();

        Assert.Equal($"{_path}: file not found", error.Message);
    }

    [Fact]
    public void TruncatedFileIsReported()
    {
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2000, 50, 80, seed: 1), _path);
        var bytes = File.ReadAllBytes(_path);
        File.WriteAllBytes(_path, bytes[..(bytes.Length / 2)]);

        var error = ReadFails();

        Assert.Contains(_path, error.Message);
        Assert.Contains("not a readable Parquet file", error.Message);
    }

    [Theory]
    [InlineData(1, "its footer is not one whole metadata record")]    // the metadata's last byte, its end: the reader looped past it for ever
    [InlineData(4, "its footer is not one whole metadata record")]
    public async Task AFooterWhoseLastByteIsDamagedIsReportedNotDecoded(int mask, string reason)
    {
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2000, 50, 80, seed: 1), _path);
        var bytes = File.ReadAllBytes(_path);
        bytes[^9] ^= (byte)mask;
        File.WriteAllBytes(_path, bytes);

        // Without the check the read never returns: the test fails at the limit instead of hanging the suite.
        var error = await Assert.ThrowsAsync<DataException>(() => Task.Run(() => InteractionLogParquet.Read(_path)).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal($"{_path}: not a readable Parquet file ({reason}: the file is damaged or truncated)", error.Message);
    }

    [Fact]
    public void AFooterWithBytesPastItsMetadataIsReported()
    {
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2000, 50, 80, seed: 1), _path);
        var bytes = File.ReadAllBytes(_path);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8)) + 1);
        File.WriteAllBytes(_path, [.. bytes[..^8], 0, .. length, .. "PAR1"u8]);

        var error = ReadFails();

        Assert.Contains("its footer is not one whole metadata record", error.Message);
    }

    [Fact]
    public void AFooterOfListsNestedPastAnyDepthIsReportedNotWalkedToTheEndOfTheStack()
    {
        // Each 0x19 opens a one-element list of lists: 100,000 levels would overflow the stack of a walk without a depth limit.
        var footer = Enumerable.Repeat((byte)0x19, 100_000).ToArray();
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footer.Length);
        File.WriteAllBytes(_path, [.. "PAR1"u8, .. footer, .. length, .. "PAR1"u8]);

        var error = ReadFails();

        Assert.Contains("its footer is not one whole metadata record", error.Message);
    }

    [Fact]
    public async Task AnIdColumnNestedInARepeatedGroupIsRefusedNamingItsPath()
    {
        await global::Parquet.Serialization.ParquetSerializer.SerializeAsync(
            new[] { new NestedRow { Events = [new NestedEvent { user_id = 1, item_id = 2 }, new NestedEvent { user_id = 1, item_id = 3 }] } }, _path);

        var error = ReadFails();

        Assert.Contains("is nested in a repeated group, expected a top-level int64 column 'user_id'", error.Message);
    }

    private sealed class NestedRow
    {
        public List<NestedEvent> Events { get; set; } = [];
    }

#pragma warning disable IDE1006 // the column names a log has
    private sealed class NestedEvent
    {
        public long user_id { get; set; }
        public long item_id { get; set; }
    }
#pragma warning restore IDE1006

    [Fact]
    public void AFooterLengthPastTheFileIsReported()
    {
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2000, 50, 80, seed: 1), _path);
        var bytes = File.ReadAllBytes(_path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - 8), bytes.Length);
        File.WriteAllBytes(_path, bytes);

        var error = ReadFails();

        Assert.Contains($"its footer length {bytes.Length} does not fit the file's {bytes.Length} bytes", error.Message);
    }

    /// <summary>In a one-group file of 2,000 rows, the count is written as the file's rows, each column's values, then the group's rows.</summary>
    [Theory]
    [InlineData("group", 2001, "column 'user_id' of row group 0 holds 2000 values for the group's 2001 rows: the file is damaged")]
    [InlineData("group", -5, "row group 0 declares -5 rows, which no row group can hold: the file is damaged")]
    [InlineData("user_id", -5, "column 'user_id' of row group 0 holds -5 values for the group's 2000 rows: the file is damaged")]
    [InlineData("item_id", 1999, "column 'item_id' of row group 0 holds 1999 values for the group's 2000 rows: the file is damaged")]
    public void ARowCountTheColumnsDoNotHoldIsReportedBeforeAnyRowIsRead(string count, long value, string reason)
    {
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2000, 50, 80, seed: 1), _path);
        var columns = ColumnNames(_path);
        PatchFooterCount(_path, 2000, value, occurrence: count == "group" ? columns.Count + 1 : 1 + columns.IndexOf(count), expected: columns.Count + 2);

        var error = ReadFails();

        Assert.Equal($"{_path}: {reason}", error.Message);
    }

    /// <summary>Every count in the footer (the file's, each column's, the group's) says 30 million: consistent, so only the memory it would take is wrong.</summary>
    [Fact]
    public void ARowGroupIsCountedAtWhatItsReadGrowsToNotItsColumnsAlone()
    {
        // Counted at its columns' bytes (a third of it), a read of 250 MiB passed a --max-memory of 300 MiB and was refused only after.
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2000, 50, 80, seed: 1), _path);
        var enough = new HeldMemoryLimit(2000 * HeldMemoryLimit.BytesPerGroupRow, "--max-memory X");
        CompactLog Read(HeldMemoryLimit limit) => LogDataset.Open(_path).ReadCompact(new ReadOptions(Memory: limit), new LabelingOptions(LabelRule.Rating), FeedbackOptions.Default);

        Assert.Equal(2000, Read(enough).Count);
        var refused = Assert.Throws<DataException>(() => Read(enough with { Bytes = enough.Bytes - 1 }));
        Assert.StartsWith($"{_path}, row group 0: 2,000 rows declared by the Parquet footers", refused.Message);
    }

    [Fact]
    public void RowsAFooterDeclaresPastTheMemoryLimitAreRefusedBeforeTheyAreAllocated()
    {
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2000, 50, 80, seed: 1), _path);
        var counts = ColumnNames(_path).Count + 2;
        for (var left = counts; left > 0; left--) PatchFooterCount(_path, 2000, 30_000_000, occurrence: 0, expected: left);
        var limit = new HeldMemoryLimit(100 << 20, "--max-memory 100 MiB");

        var whole = ReadFails(new ReadOptions(Memory: limit));
        var grouped = Assert.Throws<DataException>(() => LogDataset.Open(_path).ReadCompact(new ReadOptions(Memory: limit with { Bytes = 1 << 30 }), new LabelingOptions(LabelRule.Rating), FeedbackOptions.Default));

        Assert.StartsWith($"{_path}: 30,000,000 rows declared by the Parquet footers, ", whole.Message);
        Assert.Matches(@", [0-9.]+ GiB held in memory, more than --max-memory 100 MiB; a log larger than memory trains with train --stream$", whole.Message);
        Assert.StartsWith($"{_path}, row group 0: 30,000,000 rows declared by the Parquet footers", grouped.Message);
        Assert.EndsWith("write the log with smaller row groups, or allow more memory", grouped.Message);
    }

    [Fact]
    public void RowsWithinTheMemoryLimitAreRead()
    {
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2000, 50, 80, seed: 1), _path);

        Assert.Equal(2000, InteractionLogParquet.Read(_path, new ReadOptions(Memory: new HeldMemoryLimit(1 << 20, "1 MiB"))).Count);
    }

    private static List<string> ColumnNames(string path) => Task.Run(async () =>
    {
        await using var reader = await global::Parquet.ParquetReader.CreateAsync(path);
        return reader.Schema.DataFields.Select(f => f.Name).ToList();
    }).GetAwaiter().GetResult();

    /// <summary>
    /// Rewrites occurrence <paramref name="occurrence"/> (from 0) of <paramref name="from"/> in the footer, where it must occur
    /// exactly <paramref name="expected"/> times, as <paramref name="to"/>: a Thrift i64 is a zigzag varint, so the footer's length changes too.
    /// </summary>
    private static void PatchFooterCount(string path, long from, long to, int occurrence, int expected)
    {
        static byte[] Varint(long value)
        {
            var zigzag = (ulong)((value << 1) ^ (value >> 63));
            var bytes = new List<byte>();
            for (; zigzag >= 0x80; zigzag >>= 7) bytes.Add((byte)(zigzag | 0x80));
            bytes.Add((byte)zigzag);
            return [.. bytes];
        }
        var file = File.ReadAllBytes(path);
        var footerStart = file.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        var footer = file[footerStart..^8];
        var (old, replacement) = (Varint(from), Varint(to));
        var found = new List<int>();
        for (var at = footer.AsSpan().IndexOf(old); at >= 0 && found.Count <= expected;)
        {
            found.Add(at);
            var next = footer.AsSpan(at + old.Length).IndexOf(old);
            at = next < 0 ? -1 : at + old.Length + next;
        }
        Assert.Equal(expected, found.Count);
        byte[] patched = [.. footer[..found[occurrence]], .. replacement, .. footer[(found[occurrence] + old.Length)..]];
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, patched.Length);
        File.WriteAllBytes(path, [.. file[..footerStart], .. patched, .. length, .. "PAR1"u8]);
    }

    [Fact]
    public void DamagedColumnDataNamesColumnAndRows()
    {
        // Keep the footer intact but overwrite the data pages, as a disk fault would. Another tool's file: one this project wrote
        // records its content digest, which tells such damage first (ContentDigestTests).
        var log = SampleLogs.RandomRatings(2000, 50, 80, seed: 2);
        Write(_path, Int64("user_id", log.UserId), Int64("item_id", log.ItemId),
            NullableFloat("rating", [.. Enumerable.Range(0, log.Count).Select(r => (float?)log.Rating!.Values[r])]));
        var bytes = File.ReadAllBytes(_path);
        for (var i = 4; i < bytes.Length / 3; i++) bytes[i] = 0xFF;
        File.WriteAllBytes(_path, bytes);

        var error = ReadFails();

        Assert.Contains(_path, error.Message);
        Assert.Contains("column 'user_id', rows 1-2000", error.Message);
    }
}
