namespace InverseLearning.Data.Tests.Parquet;

public class SeenPairsParquetTests
{
    [Fact]
    public void WritesEveryPairInRawIdsAsTheLogWriterWouldWriteThem()
    {
        using var folder = new TempFolder();
        var users = Vocabulary.FromRawIds([0, 100, 200, 300]);
        var items = Vocabulary.FromRawIds([0, 7, 8]);
        // user 1 (raw 100): items 1, 2; user 2 (raw 200): none; user 3 (raw 300): item 2.
        var pairs = new InteractionIndex([0, 0, 2, 2, 3], [1, 2, 2]);

        SeenPairsParquet.Write(pairs, users, items, folder.File("seen.parquet"));

        var read = InteractionLogParquet.Read(folder.File("seen.parquet"));
        Assert.Equal([100L, 100, 300], read.UserId);
        Assert.Equal([7L, 8, 8], read.ItemId);
        var reference = new InteractionLog(3);
        read.UserId.CopyTo(reference.UserId, 0);
        read.ItemId.CopyTo(reference.ItemId, 0);
        InteractionLogParquet.Write(reference, folder.File("reference.parquet"));
        Assert.Equal(File.ReadAllBytes(folder.File("reference.parquet")), File.ReadAllBytes(folder.File("seen.parquet")));
    }
}
