namespace InverseLearning.Data;

/// <summary>
/// One mini-batch: L labeled rows then U = L·ng unlabeled rows (the ng samples of labeled
/// row r at L + r·ng + k), with the batch's distinct users and items and each row's slot
/// among them. The object and its buffers are reused batch after batch: read a batch
/// before asking for the next.
/// </summary>
public sealed class Batch
{
    private readonly int[] _users;
    private readonly int[] _items;
    private readonly float[] _labels;
    private readonly int[] _uniqueUsers;
    private readonly int[] _userSlots;
    private readonly int[] _uniqueItems;
    private readonly int[] _itemSlots;

    internal Batch(int capacity, int labeledCapacity)
    {
        _users = new int[capacity];
        _items = new int[capacity];
        _labels = new float[labeledCapacity];
        _uniqueUsers = new int[capacity];
        _userSlots = new int[capacity];
        _uniqueItems = new int[capacity];
        _itemSlots = new int[capacity];
    }

    public int LabeledCount { get; private set; }
    public int UnlabeledCount { get; private set; }
    public int Count => LabeledCount + UnlabeledCount;
    public int UniqueUserCount { get; private set; }
    public int UniqueItemCount { get; private set; }

    public ReadOnlySpan<int> Users => _users.AsSpan(0, Count);
    public ReadOnlySpan<int> Items => _items.AsSpan(0, Count);
    public ReadOnlySpan<float> Labels => _labels.AsSpan(0, LabeledCount);
    public ReadOnlySpan<int> UniqueUsers => _uniqueUsers.AsSpan(0, UniqueUserCount);
    public ReadOnlySpan<int> UserSlots => _userSlots.AsSpan(0, Count);
    public ReadOnlySpan<int> UniqueItems => _uniqueItems.AsSpan(0, UniqueItemCount);
    public ReadOnlySpan<int> ItemSlots => _itemSlots.AsSpan(0, Count);

    internal Span<int> UsersBuffer => _users;
    internal Span<int> ItemsBuffer => _items;
    internal Span<float> LabelsBuffer => _labels;

    internal void SetCounts(int labeled, int unlabeled)
    {
        LabeledCount = labeled;
        UnlabeledCount = unlabeled;
    }

    /// <summary>Distinct users and items in first-appearance order, via stamp tables: O(batch) work.</summary>
    internal void Index(StampTable users, StampTable items)
    {
        UniqueUserCount = users.Deduplicate(Users, _uniqueUsers, _userSlots);
        UniqueItemCount = items.Deduplicate(Items, _uniqueItems, _itemSlots);
    }
}
