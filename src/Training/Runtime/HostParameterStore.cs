using InverseLearning.Data;
using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// The host store: every parameter of a model (embedding tables and dense layers) with its
/// optimizer state in pinned arrays of this process, which ORT reads in place. A step's rows
/// are copied into its working set and back (<see cref="RowCopy"/>), so a step costs its rows,
/// not the tables' size.
/// </summary>
public sealed class HostParameterStore : IParameterStore
{
    private readonly List<ParameterBuffer> _buffers;

    public HostParameterStore(StoreRequest request) : this(request.Model, request.UserRows, request.ItemRows, request.StateSlots, request.Seed, request.Init) { }

    public HostParameterStore(IRecommender model, int userRows, int itemRows, int stateSlots, int seed, InitScheme init = InitScheme.Ncf)
    {
        Model = model;
        UserRows = userRows;
        ItemRows = itemRows;
        StateSlots = stateSlots;
        RequireMemory(model, userRows, itemRows, stateSlots);
        var initializer = new ParameterInitializer(model, userRows, itemRows, seed, init);
        Parameters = initializer.Parameters;
        _buffers = Parameters.Select((p, k) =>
        {
            var buffer = new ParameterBuffer(p.Name, p.Shape, stateSlots);
            initializer.Fill(k, buffer.Values);
            return buffer;
        }).ToList();
    }

    public IRecommender Model { get; }
    public int UserRows { get; }
    public int ItemRows { get; }
    public int StateSlots { get; }
    public IReadOnlyList<ParameterInfo> Parameters { get; }
    public long Step { get; set; }
    public long Version { get; private set; }

    /// <summary>The host arrays themselves, in <see cref="Parameters"/> order (tests and benchmarks poke them; the runtime goes through the interface).</summary>
    public IReadOnlyList<ParameterBuffer> All => _buffers;

    public IReadOnlyList<ParameterBuffer> Tables => _buffers.Take(Model.Embeddings.Count).ToList();
    public IReadOnlyList<ParameterBuffer> Dense => _buffers.Skip(Model.Embeddings.Count).ToList();

    public TensorMemory Allocate(int length, string what) => HostMemory.Allocate(length);

    // The working set of a host store is in host arrays: it allocated them.
    private static float[] Host(TensorMemory memory) => ((HostMemory)memory).Array;

    public void Pull(WorkingSet set, StepRows rows)
    {
        foreach (var part in set.Parts)
        {
            var p = _buffers[part.Index];
            if (part.Parameter.BoundWhole)
            {
                p.Values.CopyTo(Host(part.Rows), 0);
                for (var s = 0; s < p.State.Length; s++) p.State[s].CopyTo(Host(part.State[s]), 0);
                continue;
            }
            var indices = set.Indices(part, rows);
            RowCopy.Gather(p.Values, indices, Host(part.Rows), p.RowWidth);
            for (var s = 0; s < p.State.Length; s++) RowCopy.Gather(p.State[s], indices, Host(part.State[s]), p.RowWidth);
        }
    }

    public void Push(WorkingSet set, StepRows rows, bool keepState)
    {
        Version++;
        foreach (var part in set.Parts)
        {
            var p = _buffers[part.Index];
            if (part.Parameter.BoundWhole)
            {
                Host(part.NewRows).AsSpan(0, p.Values.Length).CopyTo(p.Values);
                if (keepState)
                    for (var s = 0; s < p.State.Length; s++) Host(part.NewState[s]).AsSpan(0, p.Values.Length).CopyTo(p.State[s]);
                continue;
            }
            var indices = set.Indices(part, rows);
            RowCopy.Scatter(Host(part.NewRows), indices, p.Values, p.RowWidth);
            if (keepState)
                for (var s = 0; s < p.State.Length; s++) RowCopy.Scatter(Host(part.NewState[s]), indices, p.State[s], p.RowWidth);
        }
    }

    public void ReadRows(int parameter, ReadOnlySpan<int> rows, Span<float> destination)
    {
        var p = _buffers[parameter];
        var width = p.RowWidth;
        for (var k = 0; k < rows.Length; k++) p.Values.AsSpan(rows[k] * width, width).CopyTo(destination.Slice(k * width, width));
    }

    public void Read(int parameter, int slot, Span<float> destination) => Slot(parameter, slot).CopyTo(destination);

    public void Write(int parameter, int slot, ReadOnlySpan<float> source)
    {
        var target = Slot(parameter, slot);
        if (source.Length != target.Length)
            throw new ArgumentException($"{_buffers[parameter].Name} holds {target.Length} values, got {source.Length}", nameof(source));
        source.CopyTo(target);
        Version++;
    }

    private float[] Slot(int parameter, int slot) => slot == 0 ? _buffers[parameter].Values : _buffers[parameter].State[slot - 1];

    public void Bind(GraphSession session)
    {
        foreach (var p in _buffers) session.Input(p.Name, p.Values, p.Shape);
    }

    public void ResetOptimizer()
    {
        foreach (var p in _buffers)
            foreach (var s in p.State) Array.Clear(s);
        Step = 0;
    }

    public StoreSnapshot Snapshot(StoreSnapshot? reuse = null)
    {
        var arrays = _buffers.SelectMany(p => new[] { p.Values }.Concat(p.State)).ToArray();
        if (reuse is not HostSnapshot earlier || earlier.Arrays.Length != arrays.Length) return new HostSnapshot(arrays.Select(a => (float[])a.Clone()).ToArray());
        for (var k = 0; k < arrays.Length; k++) arrays[k].CopyTo(earlier.Arrays[k], 0);
        return earlier;
    }

    public void Restore(StoreSnapshot snapshot)
    {
        var arrays = ((HostSnapshot)snapshot).Arrays;
        var k = 0;
        foreach (var p in _buffers)
        {
            arrays[k++].CopyTo(p.Values, 0);
            foreach (var s in p.State) arrays[k++].CopyTo(s, 0);
        }
        Version++;
    }

    private sealed class HostSnapshot(float[][] arrays) : StoreSnapshot
    {
        public float[][] Arrays { get; } = arrays;
    }

    /// <summary>
    /// Fails with one sentence, before anything is allocated, when the parameters and their
    /// optimizer state cannot fit: an array past .NET's largest, or more than the process may use.
    /// </summary>
    private static void RequireMemory(IRecommender model, int userRows, int itemRows, int stateSlots)
    {
        long largest = 0, floats = 0;
        foreach (var spec in model.Embeddings)
        {
            var length = (long)(spec.Side == TableSide.User ? userRows : itemRows) * spec.Dim;
            largest = Math.Max(largest, length);
            floats += length;
        }
        foreach (var spec in model.Dense)
        {
            var length = spec.Shape.Aggregate(1L, (a, b) => a * b);
            largest = Math.Max(largest, length);
            floats += length;
        }
        // Values and optimizer state, twice: the best epoch's snapshot is a full copy.
        var bytes = 2 * floats * (1 + stateSlots) * sizeof(float);
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (largest > Array.MaxLength || bytes > available)
            throw new ArgumentException($"--dim: the {model.Name} model's parameters and optimizer state need {ByteSize.Format(bytes)} " +
                $"(largest table {largest} floats), more than this process may use ({ByteSize.Format(available)}, at most {Array.MaxLength} floats per table); lower --dim");
    }
}
