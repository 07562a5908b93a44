namespace InverseLearning.Data.Tests.Preparation;

public class SplitTests
{
    private static readonly LabelingOptions ByRating = new(LabelRule.Rating);

    /// <summary>(user, item, label) triples of a set, to compare sets as multisets of rows.</summary>
    private static List<(int, int, float)> Rows(LabeledSet set) =>
        Enumerable.Range(0, set.Count).Select(r => (set.Users[r], set.Items[r], set.Labels[r])).ToList();

    [Fact]
    public void RandomSplitHasExactSizesAndUsesEveryLabeledRowOnce()
    {
        var log = SampleLogs.RandomRatings(10_000, 300, 500, seed: 1);
        // Distinct (user, item) per row makes rows identifiable: use the row number as item.
        for (var r = 0; r < log.Count; r++) log.ItemId[r] = r;
        var labels = Labeler.Label(log, ByRating);
        var labeled = labels.Count(l => l >= 0);

        var data = PreparedDataset.Prepare(log, ByRating, new SplitOptions());

        Assert.Equal(labeled, data.Train.Count + data.Valid.Count + data.Test.Count);
        Assert.Equal(Math.Round(labeled * 0.6), data.Train.Count);
        Assert.Equal(Math.Round(labeled * 0.2), data.Valid.Count);
        Assert.Equal(Math.Round(data.Train.Count * 0.1), data.TrainTest.Count);
        Assert.Equal(data.Train.Count, data.TrainTrain.Count + data.TrainTest.Count);
        Assert.Equal(log.Count - labeled, data.UnlabeledRowCount);

        var items = new[] { data.Train, data.Valid, data.Test }.SelectMany(s => s.Items).ToList();
        Assert.Equal(items.Count, items.Distinct().Count());
        Assert.Equal(Rows(data.Train).Order(), Rows(data.TrainTrain).Concat(Rows(data.TrainTest)).Order());
        Assert.Empty(data.TrainTrain.Items.Intersect(data.TrainTest.Items));
        // Labels travel with their rows.
        for (var r = 0; r < data.Test.Count; r++)
        {
            var row = (int)data.Items.RawIds[data.Test.Items[r]];
            Assert.Equal(labels[row], data.Test.Labels[r]);
        }
    }

    [Fact]
    public void RoundedSharesThatOvershootTheRowsGiveValidWhatIsLeftAndTestNothing()
    {
        // 3 rows at 0.5 / 0.5: train = round(1.5) = 2 (to even), valid = round(1.5) = 2, but only 1 row is left for it.
        var draw = SplitDraw.Random(3, new SplitOptions(TrainShare: 0.5, ValidShare: 0.5));

        Assert.Equal((2L, 1L, 0L), (draw.TrainRows, draw.ValidRows, draw.TestRows));
        var parts = Enumerable.Range(0, 3).Select(_ => draw.Next()).ToList();
        Assert.Equal(2, parts.Count(p => p == RowAssignment.TrainTrain));
        Assert.Equal(1, parts.Count(p => p == RowAssignment.Valid));
    }

    [Fact]
    public void SameSeedSameSplitOtherSeedOtherSplit()
    {
        var log = SampleLogs.RandomRatings(2000, 50, 100, seed: 2);

        var a = PreparedDataset.Prepare(log, ByRating, new SplitOptions(Seed: 5));
        var b = PreparedDataset.Prepare(log, ByRating, new SplitOptions(Seed: 5));
        var c = PreparedDataset.Prepare(log, ByRating, new SplitOptions(Seed: 6));

        Assert.Equal(Rows(a.TrainTrain), Rows(b.TrainTrain));
        Assert.Equal(Rows(a.TrainTest), Rows(b.TrainTest));
        Assert.Equal(Rows(a.Valid), Rows(b.Valid));
        Assert.Equal(Rows(a.Test), Rows(b.Test));
        Assert.NotEqual(Rows(a.Test), Rows(c.Test));
        Assert.NotEqual(Rows(a.TrainTest), Rows(c.TrainTest));
    }

    [Fact]
    public void EveryRowIsEquallyLikelyToLandInEachSplit()
    {
        // 10 labeled rows, 400 seeds: each row should be in Train about 60% of the time.
        var log = SampleLogs.RandomRatings(10, 1, 1, seed: 3);
        for (var r = 0; r < 10; r++) { log.ItemId[r] = r; log.Rating!.Set(r, 5); }
        var inTrain = new int[10];
        for (var seed = 0; seed < 400; seed++)
            foreach (var item in PreparedDataset.Prepare(log, ByRating, new SplitOptions(Seed: seed)).Train.Items)
                inTrain[item - 1]++;

        Assert.All(inTrain, count => Assert.InRange(count, 240 - 50, 240 + 50));
    }

    [Fact]
    public void SplitColumnIsHonoured()
    {
        var log = SampleLogs.RandomRatings(300, 20, 40, seed: 4);
        log.Split = new SplitTag[log.Count];
        // No pair repeats: training-test is the draw as it was drawn, of exact size (repeated pairs' training rows follow their first).
        for (var r = 0; r < log.Count; r++) (log.Split[r], log.ItemId[r]) = ((SplitTag)(1 + r % 3), 5000 + r);
        var labels = Labeler.Label(log, ByRating);

        var data = PreparedDataset.Prepare(log, ByRating, new SplitOptions());

        List<(int, int, float)> Expected(SplitTag tag) => Enumerable.Range(0, log.Count)
            .Where(r => log.Split[r] == tag && labels[r] >= 0)
            .Select(r => (data.Users.IndexOf(log.UserId[r]), data.Items.IndexOf(log.ItemId[r]), (float)labels[r])).ToList();
        Assert.Equal(Expected(SplitTag.Train), Rows(data.Train));
        Assert.Equal(Expected(SplitTag.Valid), Rows(data.Valid));
        Assert.Equal(Expected(SplitTag.Test), Rows(data.Test));
        Assert.Equal(Math.Round(data.Train.Count * 0.1), data.TrainTest.Count);
        var drawn = SplitDraw.TrainTestOnly(new SplitOptions()).TrainTest(data.Train.Count);
        Assert.Equal(Enumerable.Range(0, data.Train.Count).Select(r => drawn[r]), Enumerable.Range(0, data.Train.Count).Select(data.IsTrainTest));
    }

    [Fact]
    public void SeenHoldsUnlabeledRowsToo()
    {
        var log = SampleLogs.Watch([1, 1, 2], [10, 11, 10], play: [90, 50, 10], duration: [100, 100, 100]);

        var data = PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions());

        Assert.Equal(1, data.UnlabeledRowCount);
        Assert.Equal(2, data.Train.Count + data.Valid.Count + data.Test.Count);
        Assert.True(data.Seen.Contains(data.Users.IndexOf(1), data.Items.IndexOf(11)));
        Assert.Equal(3, data.Seen.PairCount);
    }

    [Fact]
    public void InvalidSharesAreRejected()
    {
        var log = SampleLogs.RandomRatings(10, 2, 2, seed: 5);

        Assert.Throws<ArgumentException>(() => PreparedDataset.Prepare(log, ByRating, new SplitOptions(TrainShare: 0.9, ValidShare: 0.2)));
    }

    [Fact]
    public void UnderASplitColumnAPairsTrainingRowsStayOnOneSideOfTrainingTest()
    {
        // 400 pairs of 10 rows each, parted by the column row by row: the column's parts are kept (a pair spans them), but
        // training-test drawn row by row put a pair's copies on both of its sides, and IG's meta-step judged on copies of training rows.
        var log = SampleLogs.RandomRatings(4000, 20, 20, seed: 3);
        log.Split = new SplitTag[log.Count];
        for (var r = 0; r < log.Count; r++) log.Split[r] = (SplitTag)(1 + r % 3);
        var labels = Labeler.Label(log, ByRating);

        var data = PreparedDataset.Prepare(log, ByRating, new SplitOptions(Seed: 5));

        Assert.Equal(Enumerable.Range(0, log.Count).Count(r => log.Split[r] == SplitTag.Train && labels[r] >= 0), data.Train.Count);
        var (trainTrain, trainTest) = (Rows(data.TrainTrain).Select(row => (row.Item1, row.Item2)), Rows(data.TrainTest).Select(row => (row.Item1, row.Item2)));
        Assert.NotEmpty(trainTest);
        Assert.Empty(trainTrain.Intersect(trainTest));
        Assert.NotEmpty(Rows(data.Valid).Select(row => (row.Item1, row.Item2)).Intersect(trainTest));   // the column's parts stay as they are
    }

    [Fact]
    public void ARepeatedPairsUnlabeledRowsNeitherTakeNorGiveAPart()
    {
        // 400 pairs of 10 rows each, a fifth of them rated 3 (unlabeled): a pair's labeled rows follow its first labeled row,
        // its unlabeled rows stay unlabeled, and an unlabeled first row takes no labeled row out of the split.
        var log = SampleLogs.RandomRatings(4000, 20, 20, seed: 3);
        var byRating = ByRating with { RatingPositiveAtLeast = 4 };
        var labels = Labeler.Label(log, byRating);

        var data = PreparedDataset.Prepare(log, byRating, new SplitOptions(Seed: 5));

        Assert.Equal(labels.Count(l => l >= 0), data.Train.Count + data.Valid.Count + data.Test.Count);
        Assert.Equal(labels.Count(l => l < 0), data.UnlabeledRowCount);
        Assert.True(data.UnlabeledRowCount > 0);
        var parts = new[] { data.TrainTrain, data.TrainTest, data.Valid, data.Test };
        var partsOfPair = parts.SelectMany((set, part) => Enumerable.Range(0, set.Count).Select(r => (Pair: (set.Users[r], set.Items[r]), Part: part)))
            .GroupBy(row => row.Pair, row => row.Part).ToArray();
        Assert.All(partsOfPair, pair => Assert.Single(pair.Distinct()));
        Assert.Equal(4, partsOfPair.Select(pair => pair.First()).Distinct().Count());
    }
}
