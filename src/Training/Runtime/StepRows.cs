namespace InverseLearning.Training.Runtime;

/// <summary>
/// The rows of one step, in the form the graphs take: per row its user and item (as
/// slots into the batch's working set), label and unlabeled flag; plus the working set's
/// distinct user and item indices. Buffers are sized once and reused every step.
/// </summary>
public sealed class StepRows
{
    private readonly int[] _itemStamp;
    private readonly int[] _slotByItem;
    private int _stampGeneration;

    public StepRows(int maxRows, int itemRows)
    {
        Users = new int[maxRows];
        Items = new int[maxRows];
        // ORT reads these four in place at every step: pinned, so they never move under it.
        Labels = GC.AllocateArray<float>(maxRows, pinned: true);
        Unlabeled = GC.AllocateArray<float>(maxRows, pinned: true);
        UserSlots = GC.AllocateArray<long>(maxRows, pinned: true);
        ItemSlots = GC.AllocateArray<long>(maxRows, pinned: true);
        UniqueUsers = new int[maxRows];
        UniqueItems = new int[maxRows];
        _itemStamp = new int[itemRows];
        _slotByItem = new int[itemRows];
    }

    public int Count { get; private set; }
    public int LabeledCount { get; private set; }
    public int UniqueUserCount { get; private set; }
    public int UniqueItemCount { get; private set; }

    public int[] Users { get; }
    public int[] Items { get; }
    public float[] Labels { get; }
    public float[] Unlabeled { get; }
    public long[] UserSlots { get; }
    public long[] ItemSlots { get; }
    public int[] UniqueUsers { get; }
    public int[] UniqueItems { get; }

    public int MaxRows => Users.Length;

    /// <summary>
    /// Sets the rows: the first <paramref name="labeledCount"/> are labeled (labels given),
    /// the rest unlabeled; with the working set the data layer already computed.
    /// </summary>
    public void Set(ReadOnlySpan<int> users, ReadOnlySpan<int> items, ReadOnlySpan<float> labels, int labeledCount,
        ReadOnlySpan<int> uniqueUsers, ReadOnlySpan<int> userSlots, ReadOnlySpan<int> uniqueItems, ReadOnlySpan<int> itemSlots)
    {
        var count = users.Length;
        if (count > MaxRows) throw new ArgumentException($"a step holds at most {MaxRows} rows, got {count}");
        Count = count;
        LabeledCount = labeledCount;
        users.CopyTo(Users);
        items.CopyTo(Items);
        labels[..labeledCount].CopyTo(Labels);
        Array.Clear(Labels, labeledCount, count - labeledCount);
        Array.Fill(Unlabeled, 0f, 0, labeledCount);
        Array.Fill(Unlabeled, 1f, labeledCount, count - labeledCount);
        UniqueUserCount = uniqueUsers.Length;
        UniqueItemCount = uniqueItems.Length;
        uniqueUsers.CopyTo(UniqueUsers);
        uniqueItems.CopyTo(UniqueItems);
        for (var r = 0; r < count; r++)
        {
            UserSlots[r] = userSlots[r];
            ItemSlots[r] = itemSlots[r];
        }
    }

    /// <summary>Replaces the items of the unlabeled rows (DNS, SRNS pick them) and rebuilds the item working set.</summary>
    public void ReplaceUnlabeledItems(ReadOnlySpan<int> items)
    {
        items.CopyTo(Items.AsSpan(LabeledCount, Count - LabeledCount));
        // Stamps mark which items are in the working set this generation: O(rows), never O(catalogue).
        var generation = ++_stampGeneration;
        UniqueItemCount = 0;
        for (var r = 0; r < Count; r++)
        {
            var item = Items[r];
            if (_itemStamp[item] == generation)
            {
                ItemSlots[r] = _slotByItem[item];
                continue;
            }
            _itemStamp[item] = generation;
            _slotByItem[item] = UniqueItemCount;
            UniqueItems[UniqueItemCount] = item;
            ItemSlots[r] = UniqueItemCount++;
        }
    }
}
