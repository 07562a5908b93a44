using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Benchmarks;

/// <summary>A model, its engine, and random batches with their working sets (one unlabeled row per labeled row).</summary>
public sealed class EngineSetup : IDisposable
{
    private readonly Random _rng = new(1);
    private readonly int _items;
    public const int Users = 40_000;
    private const int HistoryLength = 20;
    private readonly int[] _users, _itemsOfRows, _userSlots, _itemSlots;
    private readonly float[] _labels;
    private readonly Dictionary<int, int> _userIndex = [], _itemIndex = [];
    private readonly List<int> _uniqueUsers = [], _uniqueItems = [];

    /// <param name="device">Where the steps run (cpu with 2 threads by default).</param>
    /// <param name="deviceStore">Tables in a <see cref="DeviceParameterStore"/> on <paramref name="device"/> instead of the host store.</param>
    /// <param name="store">Another store for the tables (the sharded store), given the request; overrides <paramref name="deviceStore"/>.</param>
    public EngineSetup(string modelName, int items, int historyPool, int batch, ExecutionDevice? device = null, bool deviceStore = false,
        Func<StoreRequest, IParameterStore>? store = null)
    {
        _items = items;
        Batch = batch;
        _users = new int[2 * Batch];
        _itemsOfRows = new int[2 * Batch];
        _userSlots = new int[2 * Batch];
        _itemSlots = new int[2 * Batch];
        _labels = new float[Batch];
        IRecommender model = modelName switch
        {
            "cdae" => new Cdae(32, 0.2, RandomHistory(historyPool), seed: 0),
            "neumf" => new NeuMf(32, 3),
            "mlp" => new Mlp(32, 3),
            _ => new Gmf(32),
        };
        device ??= new ExecutionDevice("cpu", 2);
        var request = new StoreRequest(model, Users + 1, items + 1, 2, 1, InitScheme.Ncf);
        var tables = store?.Invoke(request) ?? (deviceStore ? new DeviceParameterStore(request, device) : new HostParameterStore(request));
        Engine = new TrainingEngine(tables, new Adam(), device, 2 * Batch);
        Rows = new StepRows(2 * Batch, items + 1);
    }

    /// <summary>Labeled rows per step; each has one unlabeled row beside it.</summary>
    public int Batch { get; }
    public TrainingEngine Engine { get; }
    public StepRows Rows { get; }

    // CDAE's input: every user holds HistoryLength items drawn uniformly from items 1..pool (the catalogue, or a fixed pool).
    private static UserHistory RandomHistory(int pool)
    {
        var rng = new Random(2);
        var offsets = Enumerable.Range(0, Users + 2).Select(u => Math.Max(0, u - 1) * HistoryLength).ToArray();
        var history = new int[Users * HistoryLength];
        for (var k = 0; k < history.Length; k++) history[k] = 1 + rng.Next(pool);
        return new UserHistory(offsets, history);
    }

    public void NextBatch()
    {
        _userIndex.Clear(); _itemIndex.Clear(); _uniqueUsers.Clear(); _uniqueItems.Clear();
        for (var r = 0; r < 2 * Batch; r++)
        {
            var user = r < Batch ? 1 + _rng.Next(Users) : _users[r - Batch];
            var item = 1 + _rng.Next(_items);
            _users[r] = user;
            _itemsOfRows[r] = item;
            _userSlots[r] = Slot(_userIndex, _uniqueUsers, user);
            _itemSlots[r] = Slot(_itemIndex, _uniqueItems, item);
            if (r < Batch) _labels[r] = _rng.Next(2);
        }
        Rows.Set(_users, _itemsOfRows, _labels, Batch, _uniqueUsers.ToArray(), _userSlots, _uniqueItems.ToArray(), _itemSlots);
    }

    private static int Slot(Dictionary<int, int> index, List<int> unique, int id)
    {
        if (index.TryGetValue(id, out var slot)) return slot;
        index[id] = unique.Count;
        unique.Add(id);
        return unique.Count - 1;
    }

    public void Dispose()
    {
        Engine.Dispose();
        if (Engine.Store is DeviceParameterStore store) store.Dispose();
    }
}
