using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// The device store: every parameter and its optimizer state in memory ORT allocated on the
/// run's device (GPU memory under CUDA), for the whole run. A step's working set is gathered
/// and written back by <see cref="StoreRowGraphs"/> on the device, so what crosses the bus per
/// step is the batch's row indices going up; the tables never leave the device except when read
/// whole (checkpoint, export) or row by row (<see cref="ReadRows"/>). Under the CPU provider the
/// same store runs over native host memory: the same graphs and bindings, which is how its
/// results are tested against the <see cref="HostParameterStore"/>.
/// </summary>
public sealed class DeviceParameterStore : IParameterStore, IDisposable
{
    private readonly DeviceArena _arena;
    // [parameter][slot]: slot 0 the values, slot s optimizer state s − 1.
    private readonly DeviceMemory[][] _tensors;
    private readonly GraphSession _pull, _push, _pushValues, _readRows;
    // Graph input and output names per [parameter][slot], built once so that a step allocates no strings.
    private readonly string[][] _tableNames, _rowsNames, _updatedNames, _writtenNames;
    private readonly Dictionary<TableSide, long[]> _indices = [];
    private readonly Dictionary<TableSide, int> _indexCounts = [];
    private long[] _readIndices = [];
    private float[] _readBuffer = [];

    public DeviceParameterStore(StoreRequest request, ExecutionDevice device)
    {
        Model = request.Model;
        UserRows = request.UserRows;
        ItemRows = request.ItemRows;
        StateSlots = request.StateSlots;
        _arena = DeviceArena.For(device);
        var initializer = new ParameterInitializer(request.Model, request.UserRows, request.ItemRows, request.Seed, request.Init);
        Parameters = initializer.Parameters;
        _tensors = Parameters.Select((p, k) =>
        {
            var values = new float[p.Length];
            initializer.Fill(k, values);
            var slots = Enumerable.Range(0, 1 + StateSlots).Select(slot => _arena.Allocate(p.Length, $"{p.Name}{(slot == 0 ? "" : $"'s optimizer state {slot}")}")).ToArray();
            slots[0].CopyFrom(values);
            foreach (var state in slots.Skip(1)) _arena.Zero(state);
            return slots;
        }).ToArray();
        string[][] Names(Func<int, int, string> name) =>
            Parameters.Select((_, k) => Enumerable.Range(0, 1 + StateSlots).Select(slot => name(k, slot)).ToArray()).ToArray();
        (_tableNames, _rowsNames, _updatedNames, _writtenNames) =
            (Names(StoreRowGraphs.Table), Names(StoreRowGraphs.Rows), Names(StoreRowGraphs.Updated), Names(StoreRowGraphs.Written));
        _pull = new GraphSession(StoreRowGraphs.Pull(Parameters, StateSlots), device);
        _push = new GraphSession(StoreRowGraphs.Push(Parameters, StateSlots, withState: true), device);
        _pushValues = new GraphSession(StoreRowGraphs.Push(Parameters, StateSlots, withState: false), device);
        _readRows = new GraphSession(StoreRowGraphs.ReadRows(), device);
    }

    public IRecommender Model { get; }
    public int UserRows { get; }
    public int ItemRows { get; }
    public int StateSlots { get; }
    public IReadOnlyList<ParameterInfo> Parameters { get; }
    public long Step { get; set; }
    public long Version { get; private set; }

    public TensorMemory Allocate(int length, string what)
    {
        var memory = _arena.Allocate(length, what);
        _arena.Zero(memory);
        return memory;
    }

    public void Pull(WorkingSet set, StepRows rows)
    {
        BindIndices(_pull, set, rows);
        foreach (var part in set.Parts)
            for (var slot = 0; slot <= StateSlots; slot++)
            {
                _pull.Input(_tableNames[part.Index][slot], _tensors[part.Index][slot], part.Parameter.Shape);
                _pull.Output(_rowsNames[part.Index][slot], slot == 0 ? part.Rows : part.State[slot - 1], part.Shape);
            }
        _pull.Run();
    }

    public void Push(WorkingSet set, StepRows rows, bool keepState)
    {
        Version++;
        var push = keepState ? _push : _pushValues;
        BindIndices(push, set, rows);
        foreach (var part in set.Parts)
            for (var slot = 0; slot <= (keepState ? StateSlots : 0); slot++)
            {
                var table = _tensors[part.Index][slot];
                push.Input(_tableNames[part.Index][slot], table, part.Parameter.Shape);
                push.Input(_updatedNames[part.Index][slot], slot == 0 ? part.NewRows : part.NewState[slot - 1], part.Shape);
                // The output is the input's own memory: ScatterND then writes only the rows.
                push.Output(_writtenNames[part.Index][slot], table, part.Parameter.Shape);
            }
        push.Run();
    }

    // Each side's step rows as int64 indices (what Gather and ScatterND take), bound at this step's count.
    private void BindIndices(GraphSession session, WorkingSet set, StepRows rows)
    {
        foreach (var part in set.Parts)
        {
            if (part.Parameter.BoundWhole) continue;
            var side = part.Parameter.Side!.Value;
            var source = set.Indices(part, rows);
            if (!_indices.TryGetValue(side, out var indices) || indices.Length < source.Length)
                _indices[side] = indices = GC.AllocateArray<long>(Math.Max(source.Length, 1), pinned: true);
            for (var i = 0; i < source.Length; i++) indices[i] = source[i];
            _indexCounts[side] = source.Length;
        }
        foreach (var (side, indices) in _indices) session.Input(StoreRowGraphs.Indices(side), indices, _indexCounts[side]);
    }

    public void ReadRows(int parameter, ReadOnlySpan<int> rows, Span<float> destination)
    {
        var width = Parameters[parameter].RowWidth;
        if (_readIndices.Length < rows.Length) _readIndices = GC.AllocateArray<long>(rows.Length, pinned: true);
        if (_readBuffer.Length < rows.Length * width) _readBuffer = GC.AllocateArray<float>(rows.Length * width, pinned: true);
        var tableRows = Parameters[parameter].Shape[0];
        for (var i = 0; i < rows.Length; i++)
        {
            // ORT's Gather takes a negative index as counted from the end, and a GPU kernel may not check bounds at all.
            if ((uint)rows[i] >= tableRows)
                throw new ArgumentOutOfRangeException(nameof(rows), $"row {rows[i]} of {Parameters[parameter].Name}, which has {tableRows} rows");
            _readIndices[i] = rows[i];
        }
        _readRows.Input(StoreRowGraphs.Table(0, 0), _tensors[parameter][0], Parameters[parameter].Shape);
        _readRows.Input(StoreRowGraphs.Indices(TableSide.Item), _readIndices, rows.Length);
        _readRows.Output(StoreRowGraphs.Rows(0, 0), _readBuffer, rows.Length, width);
        _readRows.Run();
        _readBuffer.AsSpan(0, rows.Length * width).CopyTo(destination);
    }

    public void Read(int parameter, int slot, Span<float> destination) => _tensors[parameter][slot].CopyTo(destination);

    public void Write(int parameter, int slot, ReadOnlySpan<float> source)
    {
        var target = _tensors[parameter][slot];
        if (source.Length != target.Length)
            throw new ArgumentException($"{Parameters[parameter].Name} holds {target.Length} values, got {source.Length}", nameof(source));
        target.CopyFrom(source);
        Version++;
    }

    public void Bind(GraphSession session)
    {
        for (var k = 0; k < Parameters.Count; k++) session.Input(Parameters[k].Name, _tensors[k][0], Parameters[k].Shape);
    }

    public StoreSnapshot Snapshot(StoreSnapshot? reuse = null)
    {
        var tensors = _tensors.SelectMany(slots => slots).ToArray();
        var snapshot = reuse is DeviceSnapshot earlier && earlier.Tensors.Length == tensors.Length ? earlier
            : new DeviceSnapshot(tensors.Select(t => _arena.Allocate(t.Length, "a snapshot of the parameters")).ToArray());
        for (var k = 0; k < tensors.Length; k++) _arena.Copy(tensors[k], snapshot.Tensors[k]);
        return snapshot;
    }

    public void Restore(StoreSnapshot snapshot)
    {
        var copies = ((DeviceSnapshot)snapshot).Tensors;
        var k = 0;
        foreach (var slots in _tensors)
            foreach (var tensor in slots) _arena.Copy(copies[k++], tensor);
        Version++;
    }

    public void ResetOptimizer()
    {
        foreach (var slots in _tensors)
            foreach (var state in slots.Skip(1)) _arena.Zero(state);
        Step = 0;
    }

    /// <summary>Frees the device memory now rather than when the collector finalizes it (a process that trains many runs on one GPU).</summary>
    public void Dispose()
    {
        foreach (var session in new[] { _pull, _push, _pushValues, _readRows }) session.Dispose();
        foreach (var slots in _tensors)
            foreach (var tensor in slots) tensor.Dispose();
    }

    /// <summary>A copy on the device, never downloaded: the best parameters so far.</summary>
    private sealed class DeviceSnapshot(DeviceMemory[] tensors) : StoreSnapshot
    {
        public DeviceMemory[] Tensors { get; } = tensors;

        public override void Dispose()
        {
            foreach (var tensor in Tensors) tensor.Dispose();
        }
    }
}
