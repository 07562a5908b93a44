namespace InverseLearning.Data.Tests.Labeling;

public class FeedbackRuleTests
{
    [Theory]
    [InlineData("like", FeedbackSource.Like, 0f, null)]
    [InlineData("rating:4", FeedbackSource.Rating, 4f, null)]
    [InlineData("rating:3.5", FeedbackSource.Rating, 3.5f, null)]
    [InlineData("column:purchase", FeedbackSource.Column, 0f, "purchase")]
    public void Parses_each_form_and_prints_it_back(string text, FeedbackSource source, float threshold, string? column)
    {
        var rule = FeedbackRule.Parse(text, "--extra-feedback");

        Assert.Equal(new FeedbackRule(source, threshold, column), rule);
        Assert.Equal(text, rule.ToString());
    }

    [Theory]
    [InlineData("likes")]
    [InlineData("rating:")]
    [InlineData("rating:high")]
    [InlineData("rating:NaN")]
    [InlineData("column:")]
    public void Refuses_anything_else_naming_the_flag(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => FeedbackRule.Parse(text, "--extra-feedback"));
        Assert.StartsWith("--extra-feedback:", error.Message);
    }

    [Fact]
    public void Like_marks_true_likes_only_and_nulls_mark_nothing()
    {
        var log = SampleLogs.Full(); // like: true, false, null, false

        Assert.Equal(new[] { true, false, false, false }, FeedbackRule.Like.Mark(log));
    }

    [Fact]
    public void Rating_marks_ratings_at_least_the_threshold()
    {
        var log = SampleLogs.Full(); // rating: 4.5, null, 1, 3

        Assert.Equal(new[] { true, false, false, true }, new FeedbackRule(FeedbackSource.Rating, 3).Mark(log));
        Assert.Equal(new[] { true, false, false, false }, new FeedbackRule(FeedbackSource.Rating, 3.5f).Mark(log));
    }

    [Fact]
    public void A_missing_column_gives_no_marks()
    {
        var log = SampleLogs.Watch([1], [1], [1], [1]);

        Assert.Null(FeedbackRule.Like.Mark(log));
        Assert.Null(new FeedbackRule(FeedbackSource.Rating, 4).Mark(log));
        Assert.Null(new FeedbackRule(FeedbackSource.Column, ColumnName: "purchase").Mark(log));
    }

    [Fact]
    public void Implicit_labels_make_every_row_positive()
    {
        var log = SampleLogs.Full();

        Assert.All(Labeler.Label(log, new LabelingOptions(LabelRule.Implicit)), label => Assert.Equal(Labeler.Positive, label));
    }

    [Fact]
    public void A_named_column_is_read_from_the_file_row_for_row()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.parquet");
        ParquetFixture.Write(path, rowGroupSize: 2,
            ParquetFixture.Int64("user_id", 1, 2, 3),
            ParquetFixture.Int64("item_id", 1, 1, 1),
            ParquetFixture.NullableBool("purchase", true, null, false));
        var log = InteractionLogParquet.Read(path);

        var column = FlagColumnReader.Read(LogDataset.Open(path), "purchase", log);

        Assert.Equal(new[] { true, false, false }, new FeedbackRule(FeedbackSource.Column, ColumnName: "purchase").Mark(log, column));
        Assert.Equal(new[] { true, false, true }, column.HasValue);
    }

    [Fact]
    public void A_compact_logs_extra_marks_are_read_from_a_named_column_after_the_read()
    {
        using var folder = new TempFolder();
        LogDataset Log(string name, float lastRating)
        {
            ParquetFixture.Write(folder.File(name), rowGroupSize: 2,
                ParquetFixture.Int64("user_id", 1, 2, 3),
                ParquetFixture.Int64("item_id", 1, 1, 1),
                ParquetFixture.NullableFloat("rating", 4, 4, lastRating),
                ParquetFixture.NullableBool("purchase", true, null, true));
            return LogDataset.Open(folder.File(name));
        }
        var dataset = Log("log.parquet", lastRating: 4);
        var feedback = new FeedbackOptions(FeedbackRule.Parse("column:purchase", "--extra-feedback"));
        var labels = new LabelingOptions(LabelRule.Rating);

        var log = dataset.ReadCompact(new ReadOptions(), labels, feedback);
        Assert.Null(log.ExtraMarks);
        log.MarkExtra(FlagColumnReader.ReadMarks(dataset, "purchase", log));
        Assert.Equal([true, false, true], log.ExtraMarks!);

        // Row 3's rating out of range is skipped: the column no longer lines up with the rows.
        var bad = Log("bad.parquet", lastRating: 0);
        var skipped = bad.ReadCompact(new ReadOptions(BadRowPolicy.Skip), labels, feedback);
        Assert.Contains("cannot be lined up", Assert.Throws<DataException>(() => FlagColumnReader.ReadMarks(bad, "purchase", skipped)).Message);
    }

    [Fact]
    public void A_named_column_is_read_from_every_part_of_a_directory_in_the_log_order()
    {
        using var folder = new TempFolder();
        foreach (var (day, users, purchases) in new[] { ("day=2024-01-02", new long[] { 3 }, new bool?[] { false }), ("day=2024-01-01", [1, 2], [true, null]) })
        {
            Directory.CreateDirectory(folder.File(day));
            ParquetFixture.Write(Path.Combine(folder.File(day), "part-0.parquet"),
                ParquetFixture.Int64("user_id", users), ParquetFixture.Int64("item_id", users), ParquetFixture.NullableBool("purchase", purchases));
        }
        var dataset = LogDataset.Open(folder.Path);
        var log = dataset.Read().Log;

        var column = FlagColumnReader.Read(dataset, "purchase", log);

        Assert.Equal(new long[] { 1, 2, 3 }, log.UserId);
        Assert.Equal(new[] { true, false, false }, column.Values);
        Assert.Equal(new[] { true, false, true }, column.HasValue);
    }

    [Fact]
    public void A_missing_named_column_is_one_clear_error()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.parquet");
        ParquetFixture.Write(path, ParquetFixture.Int64("user_id", 1), ParquetFixture.Int64("item_id", 1));

        var error = Assert.Throws<DataException>(() => FlagColumnReader.Read(LogDataset.Open(path), "purchase", InteractionLogParquet.Read(path)));

        Assert.Contains("column:purchase names a missing column", error.Message);
        Assert.Contains("'user_id'", error.Message);
    }

    [Fact]
    public void A_named_column_of_another_type_is_refused()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.parquet");
        ParquetFixture.Write(path, ParquetFixture.Int64("user_id", 1), ParquetFixture.Int64("item_id", 1), ParquetFixture.Int64("purchase", 1));

        var error = Assert.Throws<DataException>(() => FlagColumnReader.Read(LogDataset.Open(path), "purchase", InteractionLogParquet.Read(path)));

        Assert.Contains("expected bool", error.Message);
    }
}
