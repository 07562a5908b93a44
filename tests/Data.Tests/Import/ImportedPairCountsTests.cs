namespace InverseLearning.Data.Tests.Import;

using InverseLearning.Data.Import;

/// <summary>Repeated (user, item) rows of an import are kept, but counted and warned about: they were imported without a word.</summary>
public class ImportedPairCountsTests
{
    private static InteractionLog Log(params (long User, long Item, float Rating, SplitTag Split)[] rows)
    {
        var log = new InteractionLog(rows.Length)
        {
            Rating = new NullableColumn<float>([.. rows.Select(r => r.Rating)], [.. rows.Select(_ => true)]),
            Split = [.. rows.Select(r => r.Split)],
        };
        for (var i = 0; i < rows.Length; i++) (log.UserId[i], log.ItemId[i]) = (rows[i].User, rows[i].Item);
        return log;
    }

    [Fact]
    public void Repeats_contradictions_and_pairs_in_two_splits_are_counted_and_warned_one_line_each()
    {
        var log = Log((1, 10, 5, SplitTag.Train), (2, 10, 4, SplitTag.Train), (1, 10, 2, SplitTag.Train), (2, 10, 4, SplitTag.Test), (3, 11, 1, SplitTag.Valid),
            (2, 10, 4, SplitTag.Test));

        var pairs = ImportedPairCounts.Of(log);

        Assert.Equal(new ImportedPairCounts(Distinct: 3, Repeated: 2, ExtraRows: 3, Contradictory: 1, AcrossSplits: 1, SplitsCrossed: 1 << (int)SplitTag.Train | 1 << (int)SplitTag.Test), pairs);
        Assert.Equal(
        [
            "warning: 2 (user, item) pairs occur in more than one row (3 extra rows), kept as written: training reads each row",
            "warning: 1 of the repeated pairs has a row rated 3 or more and one rated 2 or less, which --labels rating labels positive and negative (its default thresholds)",
            // Only train and test were said to be all three splits: the splits are named as the pairs' rows are tagged.
            "warning: 1 (user, item) pair is in both train and test: a pair trained on is also held out, which leaks its rating into validation or test",
        ], pairs.Warnings());
    }

    [Fact]
    public void Only_ratings_on_both_sides_of_the_label_thresholds_count_as_contradictory()
    {
        // Rows of 5 and 4 stars were warned of as labeling the pair both ways: both are positive; 2.5 is unlabeled. 3 and 2 are
        // the thresholds themselves, each on its side.
        var pairs = ImportedPairCounts.Of(Log((1, 10, 5, SplitTag.Train), (1, 10, 4, SplitTag.Train), (2, 10, 2.5f, SplitTag.Train), (2, 10, 5, SplitTag.Train),
            (3, 10, 3, SplitTag.Train), (3, 10, 1, SplitTag.Train), (3, 10, 4, SplitTag.Train), (4, 10, 3, SplitTag.Train), (4, 10, 2, SplitTag.Train)));

        Assert.Equal(2, pairs.Contradictory);
    }

    [Fact]
    public void Pairs_across_three_splits_between_them_name_all_three()
    {
        var pairs = ImportedPairCounts.Of(Log((1, 10, 5, SplitTag.Train), (1, 10, 5, SplitTag.Valid), (2, 10, 1, SplitTag.Valid), (2, 10, 1, SplitTag.Test)));
        Assert.Equal("warning: 2 (user, item) pairs are in more than one split (train, valid, test): a pair trained on is also held out, which leaks its rating into validation or test",
            pairs.Warnings().Last());
    }

    [Fact]
    public void Distinct_pairs_give_no_warning()
    {
        var pairs = ImportedPairCounts.Of(Log((1, 10, 5, SplitTag.Train), (1, 11, 5, SplitTag.Test), (2, 10, 1, SplitTag.Train)));
        Assert.Equal(new ImportedPairCounts(3, 0, 0, 0, 0, 0), pairs);
        Assert.Empty(pairs.Warnings());
    }
}
