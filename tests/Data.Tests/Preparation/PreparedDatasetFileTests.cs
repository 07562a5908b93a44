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
