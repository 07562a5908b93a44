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
        Assert.Contains("column 'rating' has type double, expected float", error.Message);
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

        Assert.Contains("column 'split', row 2: expected split 'train', 'valid' or 'test'", error.Message);
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

    [Fact]
    public void DamagedColumnDataNamesColumnAndRows()
    {
        // Keep the footer intact but overwrite the data pages, as a disk fault would.
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2000, 50, 80, seed: 2), _path);
        var bytes = File.ReadAllBytes(_path);
        for (var i = 4; i < bytes.Length / 3; i++) bytes[i] = 0xFF;
        File.WriteAllBytes(_path, bytes);

        var error = ReadFails();

        Assert.Contains(_path, error.Message);
        Assert.Contains("column 'user_id', rows 1-2000", error.Message);
    }
}
