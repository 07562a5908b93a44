namespace InverseLearning.Data;

/// <summary>The rows of one row group a pass keeps, in dense indices: a buffer refilled group after group.</summary>
internal sealed class KeptRows
{
    public int[] Users = [];
    public int[] Items = [];
    public float[] Labels = [];
    public int Count;

    /// <summary>Keeps the rows of <paramref name="group"/> whose split <paramref name="keep"/> selects, encoded by the vocabularies.</summary>
    public KeptRows Fill(LabeledGroup group, Vocabulary users, Vocabulary items, Func<RowAssignment, bool> keep)
    {
        if (Users.Length < group.Count) (Users, Items, Labels) = (new int[group.Count], new int[group.Count], new float[group.Count]);
        var (log, n) = (group.Log, 0);
        for (var row = 0; row < group.Count; row++)
        {
            if (!keep(group.Assignment[row])) continue;
            Users[n] = users.IndexOf(log.UserId[row]);
            Items[n] = items.IndexOf(log.ItemId[row]);
            Labels[n++] = group.Labels[row];
        }
        Count = n;
        return this;
    }
}
