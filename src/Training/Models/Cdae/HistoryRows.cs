using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// A step's history entries, for a model whose input is each user's history (CDAE): per kept
/// entry its slot among the step's distinct history items, its slot among the step's distinct
/// users, and its weight 1/(1 − q). Corruption drops each entry with probability q, as a
/// hash of (seed, the batch's labeled rows, user, item): the same batch is corrupted the same
/// way wherever it is stepped (IG's candidates, a resumed run), so there is no state to save.
/// Sized once; building costs the step's users' histories, never the catalogue.
/// </summary>
public sealed class HistoryRows : IStepFeed
{
    private readonly UserHistory _history;
    private readonly double _keep;
    private readonly ulong _seed;
    private readonly int[] _itemStamp, _slotByItem;
    private int _generation;

    public HistoryRows(Cdae model, int maxUsers)
    {
        var itemRows = model.History.ItemBound;
        _history = model.History;
        _keep = 1 - model.Corruption;
        _seed = (ulong)model.Seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;
        var capacity = _history.MaxEntries(maxUsers) + 1;
        Slots = GC.AllocateArray<long>(capacity, pinned: true);
        Users = GC.AllocateArray<long>(capacity, pinned: true);
        Weights = GC.AllocateArray<float>(capacity, pinned: true);
        UniqueItems = new int[Math.Min(capacity, itemRows)];
        _itemStamp = new int[itemRows];
        _slotByItem = new int[itemRows];
    }

    public const string SlotInput = "history_slot", UserInput = "history_user", WeightInput = "history_weight";

    public long[] Slots { get; }
    public long[] Users { get; }
    public float[] Weights { get; }
    public int[] UniqueItems { get; }
    public int Count { get; private set; }
    public int UniqueItemCount { get; private set; }
    /// <summary>The most distinct history items a step can hold: the History table's working-set rows.</summary>
    public int ItemCapacity => UniqueItems.Length;

    public void Prepare(StepRows rows) => Build(rows);

    public ReadOnlySpan<int> HistoryItems => UniqueItems.AsSpan(0, UniqueItemCount);
    public int HistoryItemCapacity => ItemCapacity;

    public void Bind(GraphSession session)
    {
        session.Input(SlotInput, Slots, Count);
        session.Input(UserInput, Users, Count);
        session.Input(WeightInput, Weights, Count);
    }

    /// <summary>The entries of <paramref name="rows"/>' distinct users, corrupted when <paramref name="corrupt"/>.</summary>
    public void Build(StepRows rows, bool corrupt = true) =>
        Build(rows.UniqueUsers.AsSpan(0, rows.UniqueUserCount), corrupt ? BatchKey(rows) : null);

    private void Build(ReadOnlySpan<int> users, ulong? key)
    {
        var generation = ++_generation;
        var weight = (float)(key is null ? 1 : 1 / _keep);
        Count = UniqueItemCount = 0;
        for (var k = 0; k < users.Length; k++)
            foreach (var item in _history.Of(users[k]))
            {
                if (key is { } batch && Uniform(batch, users[k], item) >= _keep) continue;
                if (_itemStamp[item] != generation)
                {
                    _itemStamp[item] = generation;
                    _slotByItem[item] = UniqueItemCount;
                    UniqueItems[UniqueItemCount++] = item;
                }
                Add(_slotByItem[item], k, weight);
            }
        // A step whose users kept no entry still feeds the graph one entry, of weight 0 (ORT and
        // the graph's shapes want at least one).
        if (Count == 0)
        {
            UniqueItems[UniqueItemCount++] = 0;
            Add(0, 0, 0f);
        }
    }

    private void Add(int slot, int user, float weight)
    {
        Slots[Count] = slot;
        Users[Count] = user;
        Weights[Count++] = weight;
    }

    private ulong BatchKey(StepRows rows)
    {
        var key = _seed;
        for (var r = 0; r < rows.LabeledCount; r++) key = Mix(key ^ ((ulong)(uint)rows.Users[r] << 32 | (uint)rows.Items[r]));
        return key;
    }

    private static double Uniform(ulong batch, int user, int item) =>
        (Mix(batch ^ Mix((ulong)(uint)user << 32 | (uint)item)) >> 11) * (1.0 / (1UL << 53));

    // SplitMix64's finaliser: a cheap, well-mixed hash.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
