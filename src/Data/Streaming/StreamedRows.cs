namespace InverseLearning.Data;

/// <summary>
/// Training rows that are not held: every epoch reads them again from the lake (see
/// <see cref="StreamedBatches"/>), keeping the rows whose split is one it was made for (<see cref="Keeps"/>).
/// Their count and positives were counted by the first pass.
/// </summary>
public sealed class StreamedRows : ITrainingRows
{
    // Indexed by RowAssignment: looked up once per row of every epoch.
    private readonly bool[] _keeps = new bool[Enum.GetValues<RowAssignment>().Length];

    internal StreamedRows(LakeSource source, Vocabulary users, Vocabulary items, int shuffleBuffer, RowAssignment[] splits, int count, int positives, GroupDigests digests)
    {
        if (shuffleBuffer < 1) throw new ArgumentOutOfRangeException(nameof(shuffleBuffer), "the shuffle buffer holds at least one row");
        Source = source;
        Users = users;
        Items = items;
        ShuffleBuffer = shuffleBuffer;
        foreach (var split in splits) _keeps[(int)split] = true;
        Count = count;
        PositiveCount = positives;
        Digests = digests;
    }

    internal LakeSource Source { get; }
    internal Vocabulary Users { get; }
    internal Vocabulary Items { get; }

    /// <summary>The row groups the first pass read and its digests of their training rows, which each pass's reads must match.</summary>
    internal GroupDigests Digests { get; }

    /// <summary>Rows held at once to shuffle within (--shuffle-buffer).</summary>
    public int ShuffleBuffer { get; }

    /// <summary>The buffer an epoch allocates: <see cref="ShuffleBuffer"/> rows, or fewer when there are fewer rows to shuffle.</summary>
    internal int BufferRows => Math.Max(1, Math.Min(ShuffleBuffer, Count));

    public int Count { get; }
    public int PositiveCount { get; }

    internal bool Keeps(RowAssignment split) => _keeps[(int)split];

    /// <summary>The first pass's digest of the rows of its row group <paramref name="group"/> that these rows keep.</summary>
    internal ulong FirstPassDigest(int group) => Digests.Of(group, Keeps(RowAssignment.TrainTrain), Keeps(RowAssignment.TrainTest));

    public IBatchSchedule Batches(int batchSize, int ng, UnlabeledSampler? sampler, int seed) =>
        new StreamedBatches(this, new BatchAssembler(batchSize, ng, sampler, Users.Count, Items.Count), seed);

    /// <summary>The positive rows, in file order, gathered by one pass (what a model that reads histories needs of them).</summary>
    public LabeledSet Positives()
    {
        var (users, items) = (new List<int>(), new List<int>());
        ForEachGroup(kept =>
        {
            for (var r = 0; r < kept.Count; r++)
                if (kept.Labels[r] > 0.5f)
                {
                    users.Add(kept.Users[r]);
                    items.Add(kept.Items[r]);
                }
        });
        return new LabeledSet([.. users], [.. items], new PackedLabels(Enumerable.Repeat(1f, users.Count).ToArray()));
    }

    /// <summary>
    /// The index of the (user, item) pairs of these rows and of <paramref name="held"/>'s, any
    /// label, built by two passes (count per user, then place): 4 bytes per pair, no row array.
    /// </summary>
    public InteractionIndex Pairs(LabeledSet held)
    {
        var offsets = new int[Users.Count + 1];
        void Count(ReadOnlySpan<int> users)
        {
            foreach (var user in users) offsets[user + 1]++;
        }
        ForEachGroup(kept => Count(kept.Users.AsSpan(0, kept.Count)));
        foreach (var (user, _, rows) in held.UserRuns()) offsets[user + 1] += rows;   // by runs: held-out rows are grouped by user
        for (var u = 0; u < Users.Count; u++) offsets[u + 1] = checked(offsets[u + 1] + offsets[u]);
        var grouped = new int[offsets[^1]];
        var cursor = offsets[..^1];
        void Place(ReadOnlySpan<int> users, ReadOnlySpan<int> items)
        {
            for (var r = 0; r < users.Length; r++) grouped[cursor[users[r]]++] = items[r];
        }
        ForEachGroup(kept => Place(kept.Users.AsSpan(0, kept.Count), kept.Items.AsSpan(0, kept.Count)));
        foreach (var (user, start, rows) in held.UserRuns())
            for (var r = start; r < start + rows; r++) grouped[cursor[user]++] = held.Items[r];
        return InteractionIndex.FromGrouped(offsets, grouped, Users.Count);
    }

    /// <summary>One pass over the lake in file order: the kept rows of each group in turn.</summary>
    private void ForEachGroup(Action<KeptRows> visit)
    {
        var reader = Source.Open(labelColumnsOnly: true, afterFirstPass: true);
        try
        {
            Digests.CheckSameGroups(reader.Groups, Source.Dataset);
            var kept = new KeptRows();
            var skipped = new BadRowReport();
            for (var group = 0; group < reader.Groups.Count; group++)
                visit(kept.Fill(reader.ReadAsync(reader.Groups[group], skipped).GetAwaiter().GetResult(), this, group));
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
