using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>One parameter held by the store: its values and its optimizer state, in pinned host memory that ORT reads in place.</summary>
public sealed class ParameterBuffer
{
    public ParameterBuffer(string name, long[] shape, int stateSlots)
    {
        Name = name;
        Shape = shape;
        Values = GC.AllocateArray<float>((int)shape.Aggregate(1L, (a, b) => a * b), pinned: true);
        State = Enumerable.Range(0, stateSlots).Select(_ => GC.AllocateArray<float>(Values.Length, pinned: true)).ToArray();
        // Fresh arrays are zero pages the OS maps on first write; writing them now moves
        // those page faults out of the training steps (they would land on the first
        // steps that touch each row: noticeable with million-row tables).
        foreach (var state in State) state.AsSpan().Fill(0f);
    }

    public string Name { get; }
    public long[] Shape { get; }
    public float[] Values { get; }
    public float[][] State { get; }

    /// <summary>Row width for tables ([rows, width]); the whole length for dense parameters.</summary>
    public int RowWidth => Shape.Length == 2 ? (int)Shape[1] : Values.Length;
}

/// <summary>
/// Every parameter of a model (embedding tables and dense layers) with its optimizer
/// state, and the optimizer's step count: the state a checkpoint saves.
/// </summary>
public sealed class ParameterStore
{
    public ParameterStore(IRecommender model, int userRows, int itemRows, int stateSlots, int seed, InitScheme init = InitScheme.Ncf)
    {
        Model = model;
        UserRows = userRows;
        ItemRows = itemRows;
        RequireMemory(model, userRows, itemRows, stateSlots);
        var rng = new Random(seed);
        Tables = model.Embeddings.Select(spec =>
        {
            var rows = spec.Side == TableSide.User ? userRows : itemRows;   // History tables are indexed by item
            var table = new ParameterBuffer(spec.Name, [rows, spec.Dim], stateSlots);
            FillNormal(table.Values, spec.InitStd, rng);
            return table;
        }).ToList();
        TableSides = model.Embeddings.Select(s => s.Side).ToList();
        Dense = model.Dense.Select(spec =>
        {
            var dense = new ParameterBuffer(spec.Name, spec.Shape, stateSlots);
            spec.Initialize(dense.Values, rng, init);
            return dense;
        }).ToList();
    }

    public IRecommender Model { get; }
    public int UserRows { get; }
    public int ItemRows { get; }
    public IReadOnlyList<ParameterBuffer> Tables { get; }
    public IReadOnlyList<TableSide> TableSides { get; }
    public IReadOnlyList<ParameterBuffer> Dense { get; }
    public IEnumerable<ParameterBuffer> All => Tables.Concat(Dense);

    /// <summary>Optimizer updates applied so far (Adam's t).</summary>
    public long Step { get; set; }

    /// <summary>Zeroes every optimizer state tensor and the step count: the next update is a new optimizer's first.</summary>
    public void ResetOptimizer()
    {
        foreach (var p in All)
            foreach (var s in p.State) Array.Clear(s);
        Step = 0;
    }

    /// <summary>A full copy of values and state (once per epoch, for the best checkpoint; never per step).</summary>
    public float[][] Snapshot() => All.SelectMany(p => new[] { p.Values }.Concat(p.State)).Select(a => (float[])a.Clone()).ToArray();

    public void Restore(float[][] snapshot)
    {
        var k = 0;
        foreach (var p in All)
        {
            snapshot[k++].CopyTo(p.Values, 0);
            foreach (var s in p.State) snapshot[k++].CopyTo(s, 0);
        }
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
            throw new ArgumentException($"--dim: the {model.Name} model's parameters and optimizer state need {bytes / (double)(1L << 30):F1} GiB " +
                $"(largest table {largest} floats), more than this process may use ({available / (double)(1L << 30):F1} GiB, at most {Array.MaxLength} floats per table); lower --dim");
    }

    // Box–Muller: N(0, std²), as the authors' nn.init.normal_(std=0.01).
    private static void FillNormal(float[] values, double std, Random rng)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            var radius = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble()));
            var angle = 2 * Math.PI * rng.NextDouble();
            values[i] = (float)(std * radius * Math.Cos(angle));
            if (i + 1 < values.Length) values[i + 1] = (float)(std * radius * Math.Sin(angle));
        }
    }
}
