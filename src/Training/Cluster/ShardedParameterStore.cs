using System.Diagnostics;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// The sharded store: embedding rows and their optimizer state in <see cref="IEmbeddingShard"/>
/// grains spread over a cluster's silos, placed by <see cref="ShardMap"/>. A step pulls its
/// working set with one call per shard it touches (all calls at once) and pushes the updated
/// rows back the same way, so the step graphs run unchanged on the worker; what crosses the
/// network is the step's rows, never the tables. Dense parameters, and tables a model reads
/// whole, are replicated: they stay in this process. Whole tensors (checkpoints, evaluation,
/// export) are gathered from every shard.
/// </summary>
public sealed class ShardedParameterStore : IParameterStore
{
    private readonly ShardClient _shards;
    private readonly ShardMap _map;
    // Per parameter: its table's index in the shards' layout, or −1 for a parameter kept here.
    private readonly int[] _tableOf;
    private readonly int[] _shardedParameters;
    private readonly ParameterBuffer?[] _local;
    // Whole copies of the sharded tables' values for scoring graphs, refreshed when the version moves.
    private readonly float[]?[] _bound;
    private long _boundVersion = -1;
    private readonly bool _owner;
    private long _snapshots;

    /// <param name="create">Put the request's initial tables into the shards (the coordinator); false for a worker that joins shards the coordinator created.</param>
    public ShardedParameterStore(StoreRequest request, ShardClient shards, ShardMap map, bool create = true)
    {
        _owner = create;
        if (map.Shards != shards.Count) throw new ArgumentException($"a map of {map.Shards} shards for a client of {shards.Count}");
        Model = request.Model;
        UserRows = request.UserRows;
        ItemRows = request.ItemRows;
        StateSlots = request.StateSlots;
        _shards = shards;
        _map = map;
        var initializer = new ParameterInitializer(request.Model, request.UserRows, request.ItemRows, request.Seed, request.Init);
        Parameters = initializer.Parameters;
        _shardedParameters = Parameters.Select((p, k) => (p, k)).Where(x => !x.p.BoundWhole).Select(x => x.k).ToArray();
        _tableOf = Parameters.Select((_, k) => Array.IndexOf(_shardedParameters, k)).ToArray();
        _local = new ParameterBuffer?[Parameters.Count];
        _bound = new float[]?[Parameters.Count];
        // Initial values come from the one seeded generator, in parameter order, exactly as every store's.
        var initial = new float[map.Shards][][];
        for (var s = 0; s < map.Shards; s++) initial[s] = new float[_shardedParameters.Length][];
        for (var k = 0; k < Parameters.Count; k++)
        {
            var p = Parameters[k];
            if (_tableOf[k] < 0)
            {
                _local[k] = new ParameterBuffer(p.Name, p.Shape, StateSlots);
                initializer.Fill(k, _local[k]!.Values);
                continue;
            }
            var whole = new float[p.Length];
            // Drawn by a joining worker too: the generator's later draws, its dense layers, must be the coordinator's.
            initializer.Fill(k, whole);
            if (create)
                for (var s = 0; s < map.Shards; s++) initial[s][_tableOf[k]] = RowsOf(whole, p, s);
        }
        if (!create) return;
        var layouts = Enumerable.Range(0, map.Shards).Select(s => new ShardLayout
        {
            Widths = _shardedParameters.Select(k => Parameters[k].RowWidth).ToArray(),
            Rows = _shardedParameters.Select(k => _map.RowsOf(Parameters[k].Side!.Value, s).Length).ToArray(),
            StateSlots = StateSlots,
            PersistEvery = shards.PersistEvery,
        }).ToArray();
        _shards.Create(layouts, initial);
    }

    public IRecommender Model { get; }
    public int UserRows { get; }
    public int ItemRows { get; }
    public int StateSlots { get; }
    public IReadOnlyList<ParameterInfo> Parameters { get; }
    public long Step { get; set; }
    public long Version { get; private set; }

    /// <summary>The calls, bytes and time this store's steps spent reaching the shards.</summary>
    public ShardTraffic Traffic => _shards.Traffic;

    public TensorMemory Allocate(int length, string what) => HostMemory.Allocate(length);

    private static float[] Host(TensorMemory memory) => ((HostMemory)memory).Array;

    public void Pull(WorkingSet set, StepRows rows)
    {
        var groups = Group(set, rows);
        var replies = _shards.Pull(groups.Requests, withState: true);
        foreach (var part in set.Parts)
        {
            if (_tableOf[part.Index] < 0)
            {
                PullLocal(part);
                continue;
            }
            var t = _tableOf[part.Index];
            var width = part.Parameter.RowWidth;
            for (var s = 0; s < replies.Length; s++)
            {
                if (replies[s] is not { } reply) continue;
                var positions = groups.Positions[s][t];
                for (var slot = 0; slot <= StateSlots; slot++)
                    Place(reply.Values[t * (1 + StateSlots) + slot], positions, Host(slot == 0 ? part.Rows : part.State[slot - 1]), width);
            }
        }
    }

    public void Push(WorkingSet set, StepRows rows, bool keepState)
    {
        Version++;
        var groups = Group(set, rows);
        var updates = new ShardTensors?[_map.Shards];
        for (var s = 0; s < _map.Shards; s++)
        {
            if (groups.Requests[s] is null) continue;
            var values = new float[_shardedParameters.Length * (1 + StateSlots)][];
            foreach (var part in set.Parts)
            {
                var t = _tableOf[part.Index];
                if (t < 0) continue;
                for (var slot = 0; slot <= StateSlots; slot++)
                    values[t * (1 + StateSlots) + slot] = slot > 0 && !keepState ? []
                        : Take(Host(slot == 0 ? part.NewRows : part.NewState[slot - 1]), groups.Positions[s][t], part.Parameter.RowWidth);
            }
            updates[s] = new ShardTensors { Values = values };
        }
        _shards.Push(groups.Requests, updates, keepState);
        foreach (var part in set.Parts)
            if (_tableOf[part.Index] < 0) PushLocal(part, keepState);
    }

    private void PullLocal(WorkingSet.Part part)
    {
        var p = _local[part.Index]!;
        p.Values.CopyTo(Host(part.Rows), 0);
        for (var s = 0; s < p.State.Length; s++) p.State[s].CopyTo(Host(part.State[s]), 0);
    }

    private void PushLocal(WorkingSet.Part part, bool keepState)
    {
        var p = _local[part.Index]!;
        Host(part.NewRows).AsSpan(0, p.Values.Length).CopyTo(p.Values);
        if (keepState)
            for (var s = 0; s < p.State.Length; s++) Host(part.NewState[s]).AsSpan(0, p.Values.Length).CopyTo(p.State[s]);
    }

    /// <summary>A step's rows split by owning shard: per shard the request (null when the step touches none of its rows) and, per table, where each requested row sits in the working set.</summary>
    private RowGroups Group(WorkingSet set, StepRows rows)
    {
        var slots = new List<int>[_map.Shards, _shardedParameters.Length];
        var positions = new List<int>[_map.Shards, _shardedParameters.Length];
        for (var s = 0; s < _map.Shards; s++)
            for (var t = 0; t < _shardedParameters.Length; t++) (slots[s, t], positions[s, t]) = ([], []);
        foreach (var part in set.Parts)
        {
            var t = _tableOf[part.Index];
            if (t < 0) continue;
            var side = part.Parameter.Side!.Value;
            var indices = set.Indices(part, rows);
            for (var k = 0; k < indices.Length; k++)
            {
                var shard = _map.ShardOf(side, indices[k]);
                slots[shard, t].Add(_map.SlotOf(side, indices[k]));
                positions[shard, t].Add(k);
            }
        }
        var requests = new ShardRows?[_map.Shards];
        var placed = new int[_map.Shards][][];
        for (var s = 0; s < _map.Shards; s++)
        {
            placed[s] = Enumerable.Range(0, _shardedParameters.Length).Select(t => positions[s, t].ToArray()).ToArray();
            var perTable = Enumerable.Range(0, _shardedParameters.Length).Select(t => slots[s, t].ToArray()).ToArray();
            if (perTable.Any(a => a.Length > 0)) requests[s] = new ShardRows { Slots = perTable };
        }
        return new RowGroups(requests, placed);
    }

    private sealed record RowGroups(ShardRows?[] Requests, int[][][] Positions);

    private static void Place(float[] rows, int[] positions, float[] destination, int width)
    {
        for (var k = 0; k < positions.Length; k++) rows.AsSpan(k * width, width).CopyTo(destination.AsSpan(positions[k] * width, width));
    }

    private static float[] Take(float[] source, int[] positions, int width)
    {
        var taken = new float[positions.Length * width];
        for (var k = 0; k < positions.Length; k++) source.AsSpan(positions[k] * width, width).CopyTo(taken.AsSpan(k * width, width));
        return taken;
    }

    // The rows of a whole table that shard s owns, in its slot order.
    private float[] RowsOf(ReadOnlySpan<float> whole, ParameterInfo p, int shard)
    {
        var owned = _map.RowsOf(p.Side!.Value, shard);
        var width = p.RowWidth;
        var rows = new float[owned.Length * width];
        for (var k = 0; k < owned.Length; k++) whole.Slice(owned[k] * width, width).CopyTo(rows.AsSpan(k * width, width));
        return rows;
    }

    public void ReadRows(int parameter, ReadOnlySpan<int> rows, Span<float> destination)
    {
        var p = Parameters[parameter];
        var width = p.RowWidth;
        if (_tableOf[parameter] < 0)
        {
            for (var k = 0; k < rows.Length; k++) _local[parameter]!.Values.AsSpan(rows[k] * width, width).CopyTo(destination.Slice(k * width, width));
            return;
        }
        var t = _tableOf[parameter];
        var side = p.Side!.Value;
        var slots = new List<int>[_map.Shards];
        var positions = new List<int>[_map.Shards];
        for (var s = 0; s < _map.Shards; s++) (slots[s], positions[s]) = ([], []);
        foreach (var (row, k) in rows.ToArray().Select((row, k) => (row, k)))
        {
            if ((uint)row >= p.Shape[0]) throw new ArgumentOutOfRangeException(nameof(rows), $"row {row} of {p.Name}, which has {p.Shape[0]} rows");
            slots[_map.ShardOf(side, row)].Add(_map.SlotOf(side, row));
            positions[_map.ShardOf(side, row)].Add(k);
        }
        var requests = Enumerable.Range(0, _map.Shards).Select(s => slots[s].Count == 0 ? null : new ShardRows
        {
            Slots = Enumerable.Range(0, _shardedParameters.Length).Select(u => u == t ? slots[s].ToArray() : []).ToArray(),
        }).ToArray();
        var replies = _shards.Pull(requests, withState: false);
        var placed = new float[rows.Length * width];
        for (var s = 0; s < _map.Shards; s++)
            if (replies[s] is { } reply) Place(reply.Values[t * (1 + StateSlots)], positions[s].ToArray(), placed, width);
        placed.CopyTo(destination);
    }

    public void Read(int parameter, int slot, Span<float> destination)
    {
        if (_tableOf[parameter] < 0)
        {
            (slot == 0 ? _local[parameter]!.Values : _local[parameter]!.State[slot - 1]).CopyTo(destination);
            return;
        }
        var p = Parameters[parameter];
        var width = p.RowWidth;
        var pieces = _shards.Read(_tableOf[parameter], slot);
        for (var s = 0; s < pieces.Length; s++)
        {
            var owned = _map.RowsOf(p.Side!.Value, s);
            for (var k = 0; k < owned.Length; k++) pieces[s].AsSpan(k * width, width).CopyTo(destination.Slice(owned[k] * width, width));
        }
    }

    /// <summary>Replaces a whole tensor; a sharded table only when this store created the shards.</summary>
    public void Write(int parameter, int slot, ReadOnlySpan<float> source)
    {
        var p = Parameters[parameter];
        if (source.Length != p.Length) throw new ArgumentException($"{p.Name} holds {p.Length} values, got {source.Length}", nameof(source));
        Version++;
        if (_tableOf[parameter] < 0)
        {
            source.CopyTo(slot == 0 ? _local[parameter]!.Values : _local[parameter]!.State[slot - 1]);
            return;
        }
        // A joining worker's shards are the coordinator's to write (a resumed worker loads the same checkpoint the coordinator put there).
        if (!_owner) return;
        var pieces = new float[_map.Shards][];
        for (var s = 0; s < _map.Shards; s++) pieces[s] = RowsOf(source, p, s);
        _shards.Write(_tableOf[parameter], slot, pieces);
    }

    public void Bind(GraphSession session)
    {
        if (_boundVersion != Version)
        {
            foreach (var k in _shardedParameters)
            {
                _bound[k] ??= GC.AllocateArray<float>(Parameters[k].Length, pinned: true);
                Read(k, 0, _bound[k]);
            }
            _boundVersion = Version;
        }
        for (var k = 0; k < Parameters.Count; k++) session.Input(Parameters[k].Name, _bound[k] ?? _local[k]!.Values, Parameters[k].Shape);
    }

    /// <summary>
    /// The best-so-far copy: the shards keep their rows' copy themselves (one per run: a later
    /// snapshot replaces it, as the trainer's one best does), this process its replicated
    /// parameters'. So the coordinator's memory does not grow with the tables.
    /// </summary>
    public StoreSnapshot Snapshot(StoreSnapshot? reuse = null)
    {
        if (!_owner) throw new InvalidOperationException("a joining worker's store keeps no best copy: the coordinator's does");
        var id = ++_snapshots;
        _shards.KeepBest(id);
        var local = (reuse as ShardSnapshot)?.Local ?? _local.Select(p => p is null ? null : new[] { p.Values }.Concat(p.State).Select(a => new float[a.Length]).ToArray()).ToArray();
        for (var k = 0; k < _local.Length; k++)
        {
            if (_local[k] is not { } p) continue;
            p.Values.CopyTo(local[k]![0], 0);
            for (var s = 0; s < p.State.Length; s++) p.State[s].CopyTo(local[k]![1 + s], 0);
        }
        return new ShardSnapshot(id, local);
    }

    public void Restore(StoreSnapshot snapshot)
    {
        var taken = (ShardSnapshot)snapshot;
        _shards.RestoreBest(taken.Id);
        for (var k = 0; k < _local.Length; k++)
        {
            if (_local[k] is not { } p) continue;
            taken.Local[k]![0].CopyTo(p.Values, 0);
            for (var s = 0; s < p.State.Length; s++) taken.Local[k]![1 + s].CopyTo(p.State[s], 0);
        }
        Version++;
    }

    /// <summary>Zeroes the replicated parameters' state here, and the shards' state when this store created them (the coordinator resets them before it releases the epoch).</summary>
    public void ResetOptimizer()
    {
        foreach (var p in _local)
            if (p is not null)
                foreach (var s in p.State) Array.Clear(s);
        if (_owner) _shards.ResetOptimizer();
        Step = 0;
    }

    /// <summary>A best copy: its id in the shards, and per parameter kept here its values and state (null for a sharded table).</summary>
    private sealed class ShardSnapshot(long id, float[][]?[] local) : StoreSnapshot
    {
        public long Id { get; } = id;
        public float[][]?[] Local { get; } = local;
    }
}
