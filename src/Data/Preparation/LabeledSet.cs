namespace InverseLearning.Data;

/// <summary>Labeled rows in dense indices, column by column: Users[r], Items[r], Labels[r] (1 or 0, one bit each).</summary>
public sealed class LabeledSet : ITrainingRows
{
    public LabeledSet() : this([], [], []) { }

    /// <summary>Rows with their labels as floats; each must be 0 or 1.</summary>
    public LabeledSet(int[] users, int[] items, float[] labels) : this(users, items, new PackedLabels(labels)) { }

    public LabeledSet(int[] users, int[] items, PackedLabels labels)
    {
        if (users.Length != items.Length || users.Length != labels.Count)
            throw new ArgumentException($"columns differ in length: {users.Length} users, {items.Length} items, {labels.Count} labels");
        Users = users;
        Items = items;
        Labels = labels;
        Count = users.Length;
    }

    public int[] Users { get; }
    public int[] Items { get; }
    public PackedLabels Labels { get; }
    public int Count { get; }

    public int PositiveCount => Labels.Count(label => label > 0.5f);

    public IBatchSchedule Batches(int batchSize, int ng, UnlabeledSampler? sampler, int seed) => new BatchIterator(this, batchSize, ng, sampler, seed);
}
