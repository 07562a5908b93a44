namespace InverseLearning.Data.Tests.Preparation;

public class ResidentBytesTests
{
    [Fact]
    public void CountsEveryArrayTheDatasetHolds()
    {
        // Ratings 4.5, null, 1, 3 → labels 1, unlabeled, 0, 1; the log's splits put rows 1 and 4 in
        // Train and row 3 in Test; like marks row 1, a Train row.
        var data = PreparedDataset.Prepare(SampleLogs.Full(), new LabelingOptions(LabelRule.Rating), new SplitOptions());

        const int sets = (2 * 8 + 8) + 0 + (8 + 8) + (8 + 8); // train, valid, test, extra feedback's train: ids and a word of label bits each
        const int mask = 4;                                   // a bit per Train row, in 4-byte words
        const int seen = 4 * ((3 + 1 + 1) + 4);            // offsets of 3 users and row 0, 4 distinct pairs
        const int middleBand = 4 * ((3 + 1 + 1) + 1);      // one unlabeled pair
        const int vocabularies = 32 * (4 + 4);             // 3 users and 3 items, each with row 0
        Assert.Equal(sets + mask + seen + middleBand + vocabularies, data.ResidentBytes);
    }
}
