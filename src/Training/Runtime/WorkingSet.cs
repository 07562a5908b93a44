using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// Host buffers for the rows a step touches: per embedding table, its working-set rows
/// and optimizer state gathered from the store, and the step's updated rows. Sized once for the largest step; gather and scatter cost follows the
/// batch, never the catalogue.
/// </summary>
public sealed class WorkingSet
{
    public sealed class Part
    {
        private readonly HistoryRows? _history;

        internal Part(ParameterBuffer parameter, TableSide? side, int capacity, IReadOnlyList<string> stateNames, HistoryRows? history = null)
        {
            _history = history;
            var stateSlots = stateNames.Count;
            Parameter = parameter;
            StateInputs = stateNames.Select(s => StepGraphs.State(parameter.Name, s)).ToArray();
            StateOutputs = StateInputs.Select(StepGraphs.New).ToArray();
            NewName = StepGraphs.New(parameter.Name);
            Side = side;
            Shape = side is null ? parameter.Shape : [capacity / parameter.RowWidth, parameter.RowWidth];
            float[] New() => GC.AllocateArray<float>(capacity, pinned: true);
            Rows = New();
            State = Enumerable.Range(0, stateSlots).Select(_ => New()).ToArray();
            NewRows = New();
            NewState = Enumerable.Range(0, stateSlots).Select(_ => New()).ToArray();
            Zeros = New();
        }

        public ParameterBuffer Parameter { get; }

        // Graph input and output names, built once so that a step allocates no strings.
        public string[] StateInputs { get; }
        public string[] StateOutputs { get; }
        public string NewName { get; }
        /// <summary>The id side for an embedding table; null for a dense parameter (taken whole).</summary>
        public TableSide? Side { get; }
        public float[] Rows { get; }
        public float[][] State { get; }
        public float[] NewRows { get; }
        public float[][] NewState { get; }
        /// <summary>Zero optimizer state, for the authors' "fresh Adam every step" mode.</summary>
        public float[] Zeros { get; }

        /// <summary>
        /// The shape bound to ORT. A table is bound at the step's own distinct rows, set by
        /// <see cref="Gather"/> (the buffers hold the capacity: the most rows a step can touch),
        /// so Adam and the gradient's scatter cost the step's rows, not the capacity: a batch of
        /// 1,024 rows touches far fewer than 1,024 distinct users or items. A dense parameter is
        /// bound whole.
        /// </summary>
        public long[] Shape { get; }
        public int Length => Rows.Length;

        public ReadOnlySpan<int> Indices(StepRows rows) => Side switch
        {
            TableSide.User => rows.UniqueUsers.AsSpan(0, rows.UniqueUserCount),
            TableSide.History => _history!.UniqueItems.AsSpan(0, _history.UniqueItemCount),
            _ => rows.UniqueItems.AsSpan(0, rows.UniqueItemCount),
        };
    }

    public WorkingSet(ParameterStore store, IReadOnlyList<string> stateNames, int maxRows)
    {
        History = store.Model is IHistoryRecommender model ? new HistoryRows(model, store.ItemRows, maxRows) : null;
        int Capacity(ParameterBuffer t, TableSide side) => side == TableSide.History ? History!.ItemCapacity : Math.Min(maxRows, (int)t.Shape[0]);
        Parts = [
            .. store.Tables.Select((t, k) => new Part(t, store.TableSides[k], Capacity(t, store.TableSides[k]) * t.RowWidth, stateNames, History)),
            .. store.Dense.Select(d => new Part(d, null, d.Values.Length, stateNames))];
    }

    /// <summary>The step's history entries, for a model whose input is the user's history; null otherwise.</summary>
    public HistoryRows? History { get; }

    /// <summary>Store order: tables, then dense parameters.</summary>
    public IReadOnlyList<Part> Parts { get; }

    /// <summary>Copies the rows (and their optimizer state) that <paramref name="rows"/> touches out of the store.</summary>
    public void Gather(StepRows rows)
    {
        History?.Build(rows);
        foreach (var part in Parts)
        {
            var p = part.Parameter;
            if (part.Side is null)
            {
                p.Values.CopyTo(part.Rows, 0);
                for (var s = 0; s < p.State.Length; s++) p.State[s].CopyTo(part.State[s], 0);
                continue;
            }
            var indices = part.Indices(rows);
            part.Shape[0] = indices.Length;
            RowCopy.Gather(p.Values, indices, part.Rows, p.RowWidth);
            for (var s = 0; s < p.State.Length; s++) RowCopy.Gather(p.State[s], indices, part.State[s], p.RowWidth);
        }
    }

    /// <summary>Writes the step's updated rows back into the store; the optimizer state too unless it was discarded.</summary>
    public void Scatter(StepRows rows, bool keepState)
    {
        foreach (var part in Parts)
        {
            var p = part.Parameter;
            if (part.Side is null)
            {
                part.NewRows.AsSpan(0, p.Values.Length).CopyTo(p.Values);
                if (keepState)
                    for (var s = 0; s < p.State.Length; s++) part.NewState[s].AsSpan(0, p.Values.Length).CopyTo(p.State[s]);
                continue;
            }
            var indices = part.Indices(rows);
            RowCopy.Scatter(part.NewRows, indices, p.Values, p.RowWidth);
            if (keepState)
                for (var s = 0; s < p.State.Length; s++) RowCopy.Scatter(part.NewState[s], indices, p.State[s], p.RowWidth);
        }
    }
}
