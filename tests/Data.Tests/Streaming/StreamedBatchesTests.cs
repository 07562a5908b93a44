namespace InverseLearning.Data.Tests.Streaming;

/// <summary>
/// A streamed epoch: every training row exactly once (the held rows' multiset), replayed
/// exactly from (seed, epoch), another order at another epoch, shuffled beyond the file order
/// by the buffer, and completed with sampled rows as an in-memory batch is.
/// </summary>
public class StreamedBatchesTests(StreamedLake lake) : IClassFixture<StreamedLake>
{
    private static List<(int User, int Item, float Label)> Labeled(IBatchSchedule schedule, int epoch) =>
        schedule.Epoch(epoch).SelectMany(batch => Enumerable.Range(0, batch.LabeledCount).Select(r => (batch.Users[r], batch.Items[r], batch.Labels[r])).ToList()).ToList();

    private static List<(int, int, float)> Sorted(IEnumerable<(int, int, float)> rows) => rows.Order().ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(97)]
    [InlineData(1_000_000)]
    public void An_epoch_holds_every_training_row_once_whatever_the_buffer(int buffer)
    {
        var whole = lake.InMemory();
        var streamed = lake.Stream(shuffleBuffer: buffer);
        var schedule = streamed.TrainRows.Batches(batchSize: 128, ng: 0, sampler: null, seed: 3);
        var rows = Labeled(schedule, 1);
        var expected = Enumerable.Range(0, whole.Train.Count).Select(r => (whole.Train.Users[r], whole.Train.Items[r], whole.Train.Labels[r]));
        Assert.Equal(Sorted(expected), Sorted(rows));
        Assert.Equal(schedule.BatchCount, schedule.Epoch(2).Count());
    }

    private static List<(int User, int Item, float Label)> Labeled(IEnumerable<Batch> batches) =>
        batches.SelectMany(batch => Enumerable.Range(0, batch.LabeledCount).Select(r => (batch.Users[r], batch.Items[r], batch.Labels[r])).ToList()).ToList();

    [Fact]
    public void Workers_read_disjoint_row_groups_that_together_hold_the_epoch()
    {
        var schedule = lake.Stream(shuffleBuffer: 300).TrainRows.Batches(batchSize: 64, ng: 0, sampler: null, seed: 3);
        var whole = Labeled(schedule, 2);
        Assert.Equal(whole, Labeled(schedule.Epoch(2, 0, 1)));
        var parts = Enumerable.Range(0, 3).Select(part => Labeled(schedule.Epoch(2, part, 3))).ToList();
        Assert.All(parts, part => Assert.NotEmpty(part));
        Assert.Equal(Sorted(whole), Sorted(parts.SelectMany(p => p)));
        // Each part is whole row groups (a group's rows share a part), not every third batch of the epoch.
        Assert.NotEqual(Labeled(schedule.Epoch(2).Where((_, k) => k % 3 == 0)), parts[0]);
    }

    [Fact]
    public void Workers_on_a_log_held_in_memory_take_every_nth_batch_of_the_epoch()
    {
        var schedule = lake.InMemory().Train.Batches(batchSize: 64, ng: 0, sampler: null, seed: 3);
        for (var part = 0; part < 3; part++)
            Assert.Equal(Labeled(schedule.Epoch(2).Where((_, k) => k % 3 == part)), Labeled(schedule.Epoch(2, part, 3)));
        Assert.Equal(Labeled(schedule, 2), Labeled(schedule.Epoch(2, 0, 1)));
    }

    [Fact]
    public void Training_train_and_training_test_are_the_held_parts()
    {
        var whole = lake.InMemory();
        var streamed = lake.Stream();
        foreach (var (held, rows) in new[] { (whole.TrainTrain, streamed.TrainTrainRows), (whole.TrainTest, streamed.TrainTestRows) })
        {
            var expected = Enumerable.Range(0, held.Count).Select(r => (held.Users[r], held.Items[r], held.Labels[r]));
            Assert.Equal(Sorted(expected), Sorted(Labeled(rows.Batches(64, 0, null, 1), 0)));
        }
    }

    [Fact]
    public void The_same_seed_and_epoch_give_the_same_batches_and_another_epoch_another_order()
    {
        var streamed = lake.Stream(shuffleBuffer: 500);
        var first = Labeled(streamed.TrainRows.Batches(100, 0, null, seed: 9), 4);
        var again = Labeled(streamed.TrainRows.Batches(100, 0, null, seed: 9), 4);
        var next = Labeled(streamed.TrainRows.Batches(100, 0, null, seed: 9), 5);
        var otherSeed = Labeled(streamed.TrainRows.Batches(100, 0, null, seed: 10), 4);
        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void The_buffer_shuffles_rows_beyond_their_row_groups()
    {
        // With a buffer of one row an epoch is the groups in drawn order, each group in file order; a larger buffer mixes groups.
        var inGroupOrder = Labeled(lake.Stream(shuffleBuffer: 1).TrainRows.Batches(100, 0, null, seed: 9), 1);
        var shuffled = Labeled(lake.Stream(shuffleBuffer: 2_000).TrainRows.Batches(100, 0, null, seed: 9), 1);
        Assert.True(SameUser(inGroupOrder) > 0.5, $"{SameUser(inGroupOrder):F2}");
        Assert.True(SameUser(shuffled) < 0.1, $"{SameUser(shuffled):F2}");
    }

    // Share of consecutive rows of one user: the simulator writes a user's impressions together, a shuffle spreads them out.
    private static double SameUser(List<(int User, int Item, float Label)> rows) =>
        (double)Enumerable.Range(1, rows.Count - 1).Count(r => rows[r].User == rows[r - 1].User) / (rows.Count - 1);

    [Fact]
    public void Sampled_rows_follow_each_labeled_row_with_its_user()
    {
        var streamed = lake.Stream(shuffleBuffer: 300);
        var sampler = new UnseenItemSampler(streamed.Seen, streamed.Items.Count);
        foreach (var batch in streamed.TrainRows.Batches(50, 2, sampler, seed: 1).Epoch(0).Take(5))
        {
            Assert.Equal(2 * batch.LabeledCount, batch.UnlabeledCount);
            for (var r = 0; r < batch.LabeledCount; r++)
                for (var k = 0; k < 2; k++)
                {
                    var at = batch.LabeledCount + r * 2 + k;
                    Assert.Equal(batch.Users[r], batch.Users[at]);
                    Assert.False(streamed.Seen.Contains(batch.Users[at], batch.Items[at]));
                }
            Assert.Equal(batch.Users.ToArray().Distinct().Count(), batch.UniqueUserCount);
        }
    }

    [Fact]
    public void A_pass_stopped_early_closes_its_parts()
    {
        var streamed = lake.Stream(shuffleBuffer: 10);
        using (var batches = streamed.TrainRows.Batches(10, 0, null, 1).Epoch(0).GetEnumerator())
        {
            Assert.True(batches.MoveNext());
            Assert.True(OpenParts() > 0);
        }
        Assert.Equal(0, OpenParts());
        Assert.Equal(streamed.TrainRows.Count, Labeled(streamed.TrainRows.Batches(128, 0, null, 1), 0).Count);
    }

    // This process's open files inside the lake (Linux: /proc/self/fd).
    private int OpenParts() => new DirectoryInfo("/proc/self/fd").GetFileSystemInfos()
        .Count(fd => fd.LinkTarget is { } target && target.StartsWith(lake.Directory, StringComparison.Ordinal));

    [Fact]
    public async Task Every_row_group_is_read_first_about_equally_often()
    {
        var streamed = lake.Stream(shuffleBuffer: 1);
        var schedule = streamed.TrainRows.Batches(batchSize: 1_000_000, ng: 0, sampler: null, seed: 3);
        int groups;
        await using (var reader = ((StreamedRows)streamed.TrainRows).Source.Open(labelColumnsOnly: true)) groups = reader.Groups.Count;
        Assert.True(groups >= 3, $"{groups} row groups");
        // Cut into as many parts as there are row groups, part k reads the k-th group of the epoch's order;
        // a group is named by its rows. A uniform shuffle puts each group first equally often (one that only
        // draws j < i, Sattolo's cycle, never leaves the lake's first group first).
        string Name(IEnumerable<Batch> part) => string.Join(";", Sorted(Labeled(part)));
        var names = Enumerable.Range(0, groups).Select(k => Name(schedule.Epoch(0, k, groups))).ToList();
        Assert.Equal(groups, names.Distinct().Count());

        const int perGroup = 30;
        var first = new Dictionary<string, int>();
        for (var epoch = 0; epoch < perGroup * groups; epoch++)
        {
            var name = Name(schedule.Epoch(epoch, 0, groups));
            first[name] = first.GetValueOrDefault(name) + 1;
        }
        Assert.Equal(groups, first.Count);
        // Binomial with mean 30 and sd below 5.5: 10..50 is more than 3.6 standard deviations.
        Assert.All(first.Values, count => Assert.InRange(count, 10, 50));
    }
}
