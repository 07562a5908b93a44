namespace InverseLearning.Data;

/// <summary>The rows of one row group a pass keeps, in dense indices: a buffer refilled group after group.</summary>
internal sealed class KeptRows
{
    public int[] Users = [];
    public int[] Items = [];
    public float[] Labels = [];
    public int Count;

    /// <summary>
    /// Keeps the rows of <paramref name="group"/>, the first pass's group <paramref name="index"/>, whose split
    /// <paramref name="rows"/> keeps, encoded by its vocabularies. An id the first pass did not see, or kept rows whose
    /// digest is not the one the first pass took of that group (a row relabeled or replaced), mean the lake changed since,
    /// and are refused.
    /// </summary>
    public KeptRows Fill(LabeledGroup group, StreamedRows rows, int index)
    {
        if (Users.Length < group.Count) (Users, Items, Labels) = (new int[group.Count], new int[group.Count], new float[group.Count]);
        var (log, n, users, items, digest) = (group.Log, 0, rows.Users, rows.Items, 0UL);
        for (var row = 0; row < group.Count; row++)
        {
            if (!rows.Keeps(group.Assignment[row])) continue;
            var (user, item) = (users.IndexOf(log.UserId[row]), items.IndexOf(log.ItemId[row]));
            if (user == 0 || item == 0)
                throw new DataException($"{group.Path}: changed since the run's first pass: {(user == 0 ? $"user_id {log.UserId[row]}" : $"item_id {log.ItemId[row]}")} was not in it; a streamed run reads its lake again at every epoch, so the lake must not change while it trains");
            Users[n] = user;
            Items[n] = item;
            Labels[n++] = group.Labels[row];
            digest += GroupDigests.Row(user, item, group.Labels[row]);
        }
        Count = n;
        if (digest != rows.FirstPassDigest(index))
            throw new DataException($"{group.Path}: changed since the run's first pass: its row group {rows.Digests.Groups[index].Group + 1} holds other training rows (users, items or labels) " +
                "than the first pass read; a streamed run reads its lake again at every epoch, so the lake must not change while it trains");
        return this;
    }
}
