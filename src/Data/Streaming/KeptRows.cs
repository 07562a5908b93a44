namespace InverseLearning.Data;

/// <summary>The rows of one row group a pass keeps, in dense indices: a buffer refilled group after group.</summary>
internal sealed class KeptRows
{
    public int[] Users = [];
    public int[] Items = [];
    public float[] Labels = [];
    public int Count;

    /// <summary>
    /// Keeps the rows of <paramref name="group"/> whose split <paramref name="keep"/> selects, encoded
    /// by the vocabularies; an id the first pass did not see means the lake changed since, and is refused.
    /// </summary>
    public KeptRows Fill(LabeledGroup group, Vocabulary users, Vocabulary items, Func<RowAssignment, bool> keep)
    {
        if (Users.Length < group.Count) (Users, Items, Labels) = (new int[group.Count], new int[group.Count], new float[group.Count]);
        var (log, n) = (group.Log, 0);
        for (var row = 0; row < group.Count; row++)
        {
            if (!keep(group.Assignment[row])) continue;
            var (user, item) = (users.IndexOf(log.UserId[row]), items.IndexOf(log.ItemId[row]));
            if (user == 0 || item == 0)
                throw new DataException($"{group.Path}: changed since the run's first pass: {(user == 0 ? $"user_id {log.UserId[row]}" : $"item_id {log.ItemId[row]}")} was not in it; a streamed run reads its lake again at every epoch, so the lake must not change while it trains");
            Users[n] = user;
            Items[n] = item;
            Labels[n++] = group.Labels[row];
        }
        Count = n;
        return this;
    }
}
