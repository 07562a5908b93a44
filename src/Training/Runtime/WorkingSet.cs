using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// Buffers for the rows a step touches (in the store's memory: host or device): per parameter, its working-set rows and
/// optimizer state pulled from the store, and the step's updated rows. Sized once for the
/// largest step; a table is bound at the step's own rows, so pulling, pushing and the graph's
/// cost follow the batch, never the catalogue (unless the model reads a table whole).
/// </summary>
public sealed class WorkingSet : IDisposable
{
    public sealed class Part
    {
        internal Part(int index, ParameterInfo parameter, int capacity, IReadOnlyList<string> stateNames, IParameterStore store)
        {
            var stateSlots = stateNames.Count;
            Index = index;
            Parameter = parameter;
            StateInputs = stateNames.Select(s => StepGraphs.State(parameter.Name, s)).ToArray();
            StateOutputs = StateInputs.Select(StepGraphs.New).ToArray();
            NewName = StepGraphs.New(parameter.Name);
            Shape = parameter.BoundWhole ? parameter.Shape.ToArray() : [capacity / parameter.RowWidth, parameter.RowWidth];
            TensorMemory New() => store.Allocate(capacity, $"the working set of {parameter.Name}");
            Rows = New();
            State = Enumerable.Range(0, stateSlots).Select(_ => New()).ToArray();
            NewRows = New();
            NewState = Enumerable.Range(0, stateSlots).Select(_ => New()).ToArray();
            Zeros = New();
        }

        /// <summary>The parameter's position in the store (<see cref="IParameterStore.Parameters"/>).</summary>
        public int Index { get; }
        public ParameterInfo Parameter { get; }

        // Graph input and output names, built once so that a step allocates no strings.
        public string[] StateInputs { get; }
        public string[] StateOutputs { get; }
        public string NewName { get; }
        // Where the store's tables are: host arrays for the host store, device memory for the device store.
        public TensorMemory Rows { get; }
        public TensorMemory[] State { get; }
        public TensorMemory NewRows { get; }
        public TensorMemory[] NewState { get; }
        /// <summary>Zero optimizer state, for the authors' "fresh Adam every step" mode.</summary>
        public TensorMemory Zeros { get; }

        /// <summary>
        /// The shape bound to ORT. A table is bound at the step's own distinct rows, set by
        /// <see cref="Gather"/> (the buffers hold the capacity: the most rows a step can touch),
        /// so Adam and the gradient's scatter cost the step's rows, not the capacity: a batch of
        /// 1,024 rows touches far fewer than 1,024 distinct users or items. A dense parameter,
        /// or a table its model reads whole, is bound whole.
        /// </summary>
        public long[] Shape { get; }
        public int Length => Rows.Length;
    }

    private readonly IParameterStore _store;

    public WorkingSet(IParameterStore store, IReadOnlyList<string> stateNames, int maxRows)
    {
        _store = store;
        Feed = store.Model.CreateStepFeed(maxRows);
        int Capacity(ParameterInfo p) => p.BoundWhole ? p.Length
            : p.Side == TableSide.History ? (Feed ?? throw new ArgumentException($"{store.Model.Name}'s table {p.Name} is read at its feed's rows, but the model has no step feed")).HistoryItemCapacity * p.RowWidth
            : (int)Math.Min(maxRows, p.Shape[0]) * p.RowWidth;
        Parts = store.Parameters.Select((p, k) => new Part(k, p, Capacity(p), stateNames, store)).ToList();
    }

    /// <summary>What the model feeds a step beside its rows (CDAE: its users' histories); null for nothing.</summary>
    public IStepFeed? Feed { get; }

    /// <summary>Store order: tables, then dense parameters.</summary>
    public IReadOnlyList<Part> Parts { get; }

    /// <summary>The table rows a step on <paramref name="rows"/> reads for <paramref name="part"/> (a part bound at the step's rows).</summary>
    public ReadOnlySpan<int> Indices(Part part, StepRows rows) => part.Parameter.Side switch
    {
        TableSide.User => rows.UniqueUsers.AsSpan(0, rows.UniqueUserCount),
        TableSide.History => Feed!.HistoryItems,
        _ => rows.UniqueItems.AsSpan(0, rows.UniqueItemCount),
    };

    /// <summary>Prepares the model's feed for <paramref name="rows"/>, then pulls the rows (and their optimizer state) the step touches out of the store.</summary>
    public void Gather(StepRows rows)
    {
        Feed?.Prepare(rows);
        foreach (var part in Parts)
            if (!part.Parameter.BoundWhole) part.Shape[0] = Indices(part, rows).Length;
        _store.Pull(this, rows);
    }

    /// <summary>Frees the buffers (device memory for a device store; host arrays need nothing).</summary>
    public void Dispose()
    {
        foreach (var part in Parts)
            foreach (var buffer in new[] { part.Rows, part.NewRows, part.Zeros }.Concat(part.State).Concat(part.NewState)) buffer.Dispose();
    }

    /// <summary>Pushes the step's updated rows back into the store; the optimizer state too unless it was discarded.</summary>
    public void Scatter(StepRows rows, bool keepState) => _store.Push(this, rows, keepState);
}
