namespace InverseLearning.Data.Tests.Import;

using InverseLearning.Data.Import;

/// <summary>Import refuses ratings outside the range train reads logs with, so an imported log never fails later.</summary>
public class RatingRangeTests
{
    private static RatingsInput Ratings(TempFolder folder, string text)
    {
        var path = folder.File("ratings.tsv");
        File.WriteAllText(path, text);
        return new RatingsInput(path);
    }

    [Theory]
    [InlineData("1 2 5\n1 3 6\n", 2, "6")]
    [InlineData("1 2 0.5\n", 1, "0.5")]
    public void A_rating_outside_the_default_range_names_its_line(string text, int line, string found)
    {
        using var folder = new TempFolder();
        var input = Ratings(folder, text);
        var error = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));
        Assert.Equal($"{input.Path}, line {line}: expected a rating from 1 to 5 (--rating-min, --rating-max), found {found}.", error.Message);
    }

    [Fact]
    public void A_wider_range_accepts_them_and_its_bounds_are_inclusive()
    {
        using var folder = new TempFolder();
        var log = RatingsImporter.Read([Ratings(folder, "1 2 0\n1 3 10\n")], new ImportOptions(RatingMin: 0, RatingMax: 10));
        Assert.Equal([0f, 10f], log.Rating!.Values);
    }

    [Theory]
    [InlineData(5f, 1f)]
    [InlineData(float.NaN, 5f)]
    [InlineData(1f, float.PositiveInfinity)]
    public void A_reversed_or_non_finite_range_is_refused(float min, float max)
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<DataException>(() => RatingsImporter.Read([Ratings(folder, "1 2 3\n")], new ImportOptions(RatingMin: min, RatingMax: max)));
        Assert.Contains("--rating-min", error.Message);
    }

    [Fact]
    public void A_log_imported_with_a_wider_range_is_read_with_that_range()
    {
        using var folder = new TempFolder();
        RatingsImporter.Import([Ratings(folder, "1 10 8\n1 11 0.5\n2 10 10\n")], folder.Path, new ImportOptions(RatingMin: 0.5f, RatingMax: 10));
        var log = InteractionLogParquet.Read(folder.File("interactions.parquet"));
        Assert.Equal([8f, 0.5f, 10f], log.Rating!.Values);
    }

    [Fact]
    public void A_log_imported_with_a_range_of_one_rating_is_read_with_it()
    {
        // A log of likes alone, imported as ratings from 1 to 1: the range the import took (min ≤ max) is no damaged footer.
        using var folder = new TempFolder();
        RatingsImporter.Import([Ratings(folder, "1 10 1\n2 11 1\n")], folder.Path, new ImportOptions(RatingMin: 1, RatingMax: 1));
        var log = InteractionLogParquet.Read(folder.File("interactions.parquet"));
        Assert.Equal([1f, 1f], log.Rating!.Values);
    }

    [Fact]
    public void A_range_given_to_the_reader_wins_over_the_recorded_one_and_its_refusal_names_the_flags()
    {
        using var folder = new TempFolder();
        RatingsImporter.Import([Ratings(folder, "1 10 8\n")], folder.Path, new ImportOptions(RatingMin: 0.5f, RatingMax: 10));
        var path = folder.File("interactions.parquet");
        var error = Assert.Throws<DataException>(() => InteractionLogParquet.Read(path, new ReadOptions(RatingRangeGiven: true)));
        Assert.Equal($"{path}: column 'rating', row 1: expected a rating in [1, 5], found 8 " +
            "(give the log's range with --rating-min and --rating-max, or use --on-bad-row skip to leave such rows out)", error.Message);
    }
}
