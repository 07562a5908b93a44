namespace InverseLearning.Data;

/// <summary>
/// One streamed pass's epochs. An epoch reads the dataset's row groups in an order drawn from
/// (seed, epoch), the next group read and encoded on a worker while the current one is
/// consumed, and passes the kept rows through a shuffle buffer of
/// <see cref="StreamedRows.ShuffleBuffer"/> rows: once full, each arriving row takes the place
/// of a row drawn from the buffer, which goes to the batch; at the end the rest leave in a
/// drawn order. Every kept row is in exactly one batch per epoch; the same (seed, epoch) gives
/// the same batches. Memory: the buffer and two groups, whatever the log's size.
/// </summary>
internal sealed class StreamedBatches(StreamedRows rows, BatchAssembler assembler, int seed) : IBatchSchedule
{
    public int BatchCount => (rows.Count + assembler.BatchSize - 1) / assembler.BatchSize;

    public IEnumerable<Batch> Epoch(int epoch) => Epoch(epoch, 0, 1);

    /// <summary>
    /// A worker's part of the epoch: the row groups at its positions of the epoch's drawn order
    /// (every <paramref name="parts"/>-th from <paramref name="part"/>), so workers read disjoint
    /// groups of the lake; part 0 of 1 reads them all.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch, int part, int parts)
    {
        var shuffle = BatchAssembler.Shuffle(seed, epoch);
        var samples = BatchAssembler.Samples(seed, epoch);
        var reader = rows.Source.Open(labelColumnsOnly: true, afterFirstPass: true);
        var order = Enumerable.Range(0, reader.Groups.Count).ToArray();   // the groups' indices, which the first pass's digests are by
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)shuffle.NextBelow((ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        order = order.Where((_, k) => k % parts == part).ToArray();
        var capacity = rows.BufferRows;
        var buffer = new KeptRows { Users = new int[capacity], Items = new int[capacity], Labels = new float[capacity] };
        KeptRows[] groups = [new(), new()];
        var skipped = new BadRowReport();   // counted by the first pass, which reported them
        Task<KeptRows> Read(int k) => Task.Run(async () => groups[k % 2].Fill(await reader.ReadAsync(reader.Groups[order[k]], skipped), rows, order[k]));
        var batch = assembler.Batch;
        var filled = 0;
        Task<KeptRows>? next = null;
        try
        {
            rows.Digests.CheckSameGroups(reader.Groups, rows.Source.Dataset);
            next = order.Length > 0 ? Read(0) : null;
            for (var k = 0; k < order.Length; k++)
            {
                var group = next!.GetAwaiter().GetResult();
                next = k + 1 < order.Length ? Read(k + 1) : null;
                for (var r = 0; r < group.Count; r++)
                {
                    if (buffer.Count < capacity)
                    {
                        Move(group, r, buffer, buffer.Count++);
                        continue;
                    }
                    var drawn = (int)shuffle.NextBelow((ulong)capacity);
                    Emit(buffer, drawn, batch, filled++);
                    Move(group, r, buffer, drawn);
                    if (filled < assembler.BatchSize) continue;
                    yield return assembler.Complete(filled, samples);
                    filled = 0;
                }
            }
            for (var left = buffer.Count; left > 0; left--)
            {
                var drawn = (int)shuffle.NextBelow((ulong)left);
                Emit(buffer, drawn, batch, filled++);
                Move(buffer, left - 1, buffer, drawn);
                if (filled < assembler.BatchSize) continue;
                yield return assembler.Complete(filled, samples);
                filled = 0;
            }
            if (filled > 0) yield return assembler.Complete(filled, samples);
        }
        finally
        {
            // A pass that stops early (a failed step) waits for the group in flight before the parts close.
            if (next is not null) ((IAsyncResult)next).AsyncWaitHandle.WaitOne();
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void Move(KeptRows from, int row, KeptRows to, int slot)
    {
        to.Users[slot] = from.Users[row];
        to.Items[slot] = from.Items[row];
        to.Labels[slot] = from.Labels[row];
    }

    private static void Emit(KeptRows buffer, int slot, Batch batch, int at)
    {
        batch.UsersBuffer[at] = buffer.Users[slot];
        batch.ItemsBuffer[at] = buffer.Items[slot];
        batch.LabelsBuffer[at] = buffer.Labels[slot];
    }
}
