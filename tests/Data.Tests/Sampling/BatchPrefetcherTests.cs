namespace InverseLearning.Data.Tests.Sampling;

/// <summary>Prefetching one batch ahead on a worker thread changes when a batch is drawn, never what it holds.</summary>
public class BatchPrefetcherTests
{
    private static BatchIterator Iterator()
    {
        var random = new Random(5);
        var users = Enumerable.Range(0, 700).Select(_ => random.Next(1, 40)).ToArray();
        var items = Enumerable.Range(0, 700).Select(_ => random.Next(1, 200)).ToArray();
        var labels = Enumerable.Range(0, 700).Select(_ => (float)random.Next(2)).ToArray();
        var sampler = new UnseenItemSampler(InteractionIndex.Build(users, items, 40), 200);
        return new BatchIterator(new LabeledSet(users, items, labels), batchSize: 64, ng: 2, sampler, seed: 9);
    }

    private static (int[] Users, int[] Items, float[] Labels, int[] UniqueItems) Copy(Batch b) =>
        (b.Users.ToArray(), b.Items.ToArray(), b.Labels.ToArray(), b.UniqueItems.ToArray());

    [Fact]
    public void The_batches_are_those_of_the_iterator_in_its_order()
    {
        var expected = Iterator().Epoch(3).Select(Copy).ToList();
        var actual = new List<(int[], int[], float[], int[])>();
        using var prefetcher = new BatchPrefetcher(Iterator().Epoch(3));
        while (prefetcher.MoveNext())
        {
            actual.Add(Copy(prefetcher.Current));
            prefetcher.PrepareNext();
            Thread.Sleep(1);    // the next batch is being filled while "the step" runs
        }
        Assert.Equal(11, expected.Count);
        Assert.Equal(expected.Count, actual.Count);
        for (var k = 0; k < expected.Count; k++)
        {
            Assert.Equal(expected[k].Users, actual[k].Item1);
            Assert.Equal(expected[k].Items, actual[k].Item2);
            Assert.Equal(expected[k].Labels, actual[k].Item3);
            Assert.Equal(expected[k].UniqueItems, actual[k].Item4);
        }
    }

    [Fact]
    public void The_batch_being_refilled_cannot_be_read()
    {
        using var prefetcher = new BatchPrefetcher(Iterator().Epoch(0));
        Assert.True(prefetcher.MoveNext());
        prefetcher.PrepareNext();
        Assert.Throws<InvalidOperationException>(() => prefetcher.Current);
        Assert.True(prefetcher.MoveNext());
        Assert.Equal(64, prefetcher.Current.LabeledCount);
    }

    [Fact]
    public void A_failure_while_preparing_surfaces_as_itself_at_the_next_move()
    {
        static IEnumerable<Batch> Failing(Batch first)
        {
            yield return first;
            throw new DataException("user index 7 has interacted with every item of the catalogue");
        }
        var first = Iterator().Epoch(0).First();
        using var prefetcher = new BatchPrefetcher(Failing(first));
        Assert.True(prefetcher.MoveNext());
        prefetcher.PrepareNext();
        var error = Assert.Throws<DataException>(() => prefetcher.MoveNext());
        Assert.Contains("user index 7", error.Message);
    }
}
