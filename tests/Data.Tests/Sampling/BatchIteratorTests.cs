namespace InverseLearning.Data.Tests.Sampling;

public class BatchIteratorTests
{
    private static (LabeledSet Rows, UnlabeledSampler Sampler, InteractionIndex Seen) RandomData(int seed, int rows = 1000)
    {
        var random = new Random(seed);
        var users = Enumerable.Range(0, rows).Select(_ => random.Next(1, 60)).ToArray();
        var items = Enumerable.Range(0, rows).Select(_ => random.Next(1, 300)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => (float)random.Next(2)).ToArray();
        var seen = InteractionIndex.Build(users, items, 60);
        return (new LabeledSet(users, items, labels), new UnseenItemSampler(seen, 300), seen);
    }

    [Fact]
    public void UniqueIdsAndSlotsRebuildTheBatch()
    {
        var (rows, sampler, _) = RandomData(1);
        var iterator = new BatchIterator(rows, batchSize: 128, ng: 2, sampler, seed: 3);

        foreach (var batch in iterator.Epoch(0))
        {
            Assert.Equal(batch.Count, batch.UserSlots.Length);
            for (var r = 0; r < batch.Count; r++)
            {
                Assert.Equal(batch.Users[r], batch.UniqueUsers[batch.UserSlots[r]]);
                Assert.Equal(batch.Items[r], batch.UniqueItems[batch.ItemSlots[r]]);
            }
            Assert.Equal(batch.Users.ToArray().Distinct().Order(), batch.UniqueUsers.ToArray().Order());
            Assert.Equal(batch.Items.ToArray().Distinct().Order(), batch.UniqueItems.ToArray().Order());
        }
    }

    [Fact]
    public void EpochVisitsEveryLabeledRowOnceWithItsUnlabeledRows()
    {
        var (rows, sampler, seen) = RandomData(2);
        var iterator = new BatchIterator(rows, batchSize: 300, ng: 3, sampler, seed: 4);
        var visited = new List<(int, int, float)>();
        var batches = 0;

        foreach (var batch in iterator.Epoch(0))
        {
            batches++;
            var l = batch.LabeledCount;
            Assert.Equal(3 * l, batch.UnlabeledCount);
            for (var r = 0; r < l; r++)
            {
                visited.Add((batch.Users[r], batch.Items[r], batch.Labels[r]));
                for (var k = 0; k < 3; k++)
                {
                    Assert.Equal(batch.Users[r], batch.Users[l + r * 3 + k]);
                    Assert.False(seen.Contains(batch.Users[r], batch.Items[l + r * 3 + k]));
                }
            }
        }

        Assert.Equal(4, batches);
        Assert.Equal(4, iterator.BatchCount);
        var expected = Enumerable.Range(0, rows.Count).Select(r => (rows.Users[r], rows.Items[r], rows.Labels[r]));
        Assert.Equal(expected.Order(), visited.Order());
    }

    private static List<int[]> Snapshot(BatchIterator iterator, int epoch) =>
        iterator.Epoch(epoch).Select(b => b.Users.ToArray().Concat(b.Items.ToArray()).ToArray()).ToList();

    [Fact]
    public void SameSeedAndEpochSameBatchesOtherEpochOtherBatches()
    {
        var (rows, sampler, _) = RandomData(3);

        var first = Snapshot(new BatchIterator(rows, 100, 1, sampler, seed: 8), 5);
        var again = Snapshot(new BatchIterator(rows, 100, 1, sampler, seed: 8), 5);
        var replay = new BatchIterator(rows, 100, 1, sampler, seed: 8);
        Snapshot(replay, 6);
        var replayed = Snapshot(replay, 5);
        var otherEpoch = Snapshot(new BatchIterator(rows, 100, 1, sampler, seed: 8), 6);
        var otherSeed = Snapshot(new BatchIterator(rows, 100, 1, sampler, seed: 9), 5);

        Assert.Equal(first, again);
        Assert.Equal(first, replayed);
        Assert.NotEqual(first, otherEpoch);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void WithoutSamplerBatchesHoldOnlyLabeledRows()
    {
        var (rows, _, _) = RandomData(4, rows: 10);
        var iterator = new BatchIterator(rows, batchSize: 4, ng: 0, sampler: null, seed: 1);

        var sizes = iterator.Epoch(0).Select(b => (b.LabeledCount, b.UnlabeledCount, b.Count)).ToList();

        Assert.Equal([(4, 0, 4), (4, 0, 4), (2, 0, 2)], sizes);
        Assert.Throws<ArgumentException>(() => new BatchIterator(rows, 4, ng: 1, sampler: null, seed: 1));
    }

    [Fact]
    public void SteadyStateAllocatesNothingPerBatch()
    {
        var (rows, sampler, _) = RandomData(5, rows: 20_000);
        var iterator = new BatchIterator(rows, batchSize: 64, ng: 1, sampler, seed: 2);
        foreach (var _ in iterator.Epoch(0)) { }

        long before = 0, after = 0;
        var batches = 0;
        foreach (var _ in iterator.Epoch(1))
        {
            if (batches == 1) before = GC.GetAllocatedBytesForCurrentThread();
            batches++;
        }
        after = GC.GetAllocatedBytesForCurrentThread();

        // 300+ batches after the first: any per-batch allocation would add up to kilobytes.
        Assert.True(batches > 300);
        Assert.InRange(after - before, 0, 256);
    }

    [Fact]
    public void EveryOrderOfThreeRowsIsAboutEquallyLikely()
    {
        var rows = new LabeledSet([1, 2, 3], [1, 2, 3], [1f, 1f, 1f]);
        var counts = new Dictionary<string, int>();
        for (var seed = 0; seed < 6; seed++)
        {
            var iterator = new BatchIterator(rows, batchSize: 3, ng: 0, sampler: null, seed);
            for (var epoch = 0; epoch < 100; epoch++)
            {
                var order = string.Join(",", iterator.Epoch(epoch).Single().Users.ToArray());
                counts[order] = counts.GetValueOrDefault(order) + 1;
            }
        }

        Assert.Equal(6, counts.Count);
        // 600 epochs, each order with probability 1/6: mean 100, sd 9.1, so 60..140 is over four sd.
        Assert.All(counts.Values, count => Assert.InRange(count, 60, 140));
    }
}
