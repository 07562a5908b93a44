namespace InverseLearning.Data;

/// <summary>Labeled rows in dense indices, column by column: Users[r], Items[r], Labels[r] (1 or 0).</summary>
public sealed class LabeledSet
{
    public LabeledSet() : this([], [], []) { }

    public LabeledSet(int[] users, int[] items, float[] labels)
    {
        if (users.Length != items.Length || users.Length != labels.Length)
            throw new ArgumentException($"columns differ in length: {users.Length} users, {items.Length} items, {labels.Length} labels");
        Users = users;
        Items = items;
        Labels = labels;
        Count = users.Length;
    }

    public int[] Users { get; }
    public int[] Items { get; }
    public float[] Labels { get; }
    public int Count { get; }

    public int PositiveCount => Labels.Count(label => label > 0.5f);
}
