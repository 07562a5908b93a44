namespace InverseLearning.Data.Tests.Preparation;

public class PreparedDatasetFileTests
{
    [Fact]
    public void SaveThenLoadGivesTheSameDataset()
    {
        using var folder = new TempFolder();
        var data = PreparedDataset.Prepare(SampleLogs.RandomRatings(3000, 60, 90, seed: 1), new LabelingOptions(LabelRule.Rating), new SplitOptions());

        data.Save(folder.Path);
        var loaded = PreparedDataset.Load(folder.Path);

        Assert.Equal(data.Users.RawIds.ToArray(), loaded.Users.RawIds.ToArray());
        Assert.Equal(data.Items.RawIds.ToArray(), loaded.Items.RawIds.ToArray());
        Assert.Equal(data.Items.IndexOf(5003), loaded.Items.IndexOf(5003));
        Assert.Equal(data.UnlabeledRowCount, loaded.UnlabeledRowCount);
        foreach (var (a, b) in new[] { (data.Train, loaded.Train), (data.TrainTrain, loaded.TrainTrain), (data.TrainTest, loaded.TrainTest), (data.Valid, loaded.Valid), (data.Test, loaded.Test) })
        {
            Assert.Equal(a.Users, b.Users);
            Assert.Equal(a.Items, b.Items);
            Assert.Equal(a.Labels, b.Labels);
        }
        Assert.Equal(data.Seen.PairCount, loaded.Seen.PairCount);
        for (var u = 0; u < data.Seen.UserCount; u++)
            Assert.Equal(data.Seen.ItemsOf(u).ToArray(), loaded.Seen.ItemsOf(u).ToArray());
    }

    [Fact]
    public void SaveThenLoadKeepsTheExtraFeedbackAndTheTestAndValidationPositives()
    {
        using var folder = new TempFolder();
        var log = SampleLogs.RandomRatings(3000, 60, 90, seed: 1);
        log.Like = new NullableColumn<bool>(Enumerable.Range(0, log.Count).Select(r => r % 4 == 0).ToArray(), Enumerable.Repeat(true, log.Count).ToArray());
        log.Rating!.Set(0, null); // a liked row left unlabeled: counted outside the splits
        var data = PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Rating), new SplitOptions(),
            new FeedbackOptions(FeedbackRule.Like, FeedbackRule.Parse("rating:5", "--test-positives"), ValidPositives: FeedbackRule.Parse("rating:4", "--valid-positives")));

        data.Save(folder.Path);
        var loaded = PreparedDataset.Load(folder.Path);

        Assert.Equal((data.Extra.Rule, data.Extra.Available, data.Extra.OutsideSplits, data.Extra.TestPositivesRule, data.Extra.ValidPositivesRule),
            (loaded.Extra.Rule, loaded.Extra.Available, loaded.Extra.OutsideSplits, loaded.Extra.TestPositivesRule, loaded.Extra.ValidPositivesRule));
        Assert.Equal("rating:4", loaded.Extra.ValidPositivesRule);
        Assert.Equal(1, loaded.Extra.OutsideSplits);
        foreach (var (a, b) in new[] { (data.Extra.Train, loaded.Extra.Train), (data.Extra.Valid, loaded.Extra.Valid), (data.Extra.Test, loaded.Extra.Test), (data.Extra.TestPositives!, loaded.Extra.TestPositives!), (data.Extra.ValidPositives!, loaded.Extra.ValidPositives!) })
        {
            Assert.NotEqual(0, a.Count);
            Assert.Equal(a.Users, b.Users);
            Assert.Equal(a.Items, b.Items);
            Assert.Equal(a.Labels, b.Labels);
        }
    }

    [Fact]
    public void A_dataset_without_extra_feedback_loads_without_it()
    {
        using var folder = new TempFolder();
        PreparedDataset.Prepare(SampleLogs.RandomRatings(300, 10, 10, seed: 1), new LabelingOptions(LabelRule.Rating), new SplitOptions()).Save(folder.Path);

        var loaded = PreparedDataset.Load(folder.Path);

        Assert.False(loaded.Extra.Available);
        Assert.Null(loaded.Extra.TestPositives);
    }

    [Fact]
    public void TruncatedFileIsReported()
    {
        using var folder = new TempFolder();
        PreparedDataset.Prepare(SampleLogs.RandomRatings(500, 20, 30, seed: 2), new LabelingOptions(LabelRule.Rating), new SplitOptions()).Save(folder.Path);
        var path = folder.File("dataset.bin");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 7)]);

        var error = Assert.Throws<DataException>(() => PreparedDataset.Load(folder.Path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void ForeignFileIsReported()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("dataset.bin"), "definitely not a dataset");

        var error = Assert.Throws<DataException>(() => PreparedDataset.Load(folder.Path));

        Assert.Contains("not a prepared dataset file", error.Message);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<DataException>(() => PreparedDataset.Load(folder.Path));

        Assert.Contains("file not found", error.Message);
    }
}
