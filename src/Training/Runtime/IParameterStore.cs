using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// Where a model's parameters live: every embedding table and dense parameter with its
/// optimizer state, and the optimizer's step count. The one seam between what a model
/// computes and where its tables are (host arrays, <see cref="HostParameterStore"/>; GPU memory,
/// <see cref="DeviceParameterStore"/>; shards across processes, <see cref="Cluster.ShardedParameterStore"/>). The promises:
/// <list type="bullet">
/// <item>The store owns every row and its optimizer state. Nothing else holds a copy that
/// outlives a step, except snapshots it hands out.</item>
/// <item>A step reads its rows with <see cref="Pull"/> before its graph runs and writes them
/// back with <see cref="Push"/> after; which rows is the <see cref="WorkingSet"/>'s choice
/// (the batch's distinct users and items, a model's feed rows, a whole table or dense
/// parameter). Between the two the store may not change those rows.</item>
/// <item>Scoring binds the current values with <see cref="Bind"/>; checkpoint and export read
/// whole tensors with <see cref="Read"/> and a checkpoint's load writes them with
/// <see cref="Write"/>. Every write moves <see cref="Version"/>, so anything derived from the
/// parameters (CDAE's hidden rows, LightGCN's propagated tables) knows when to recompute.</item>
/// </list>
/// </summary>
public interface IParameterStore
{
    IRecommender Model { get; }
    int UserRows { get; }
    int ItemRows { get; }

    /// <summary>The model's embedding tables in declared order, then its dense parameters: checkpoint order.</summary>
    IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>Optimizer state tensors per parameter (Adam: 2).</summary>
    int StateSlots { get; }

    /// <summary>Optimizer updates applied so far (Adam's t).</summary>
    long Step { get; set; }

    /// <summary>Changes with every write of values, so derived tables can be cached until it moves.</summary>
    long Version { get; }

    /// <summary>
    /// Zeroed memory for <paramref name="length"/> floats where this store keeps its tables (a
    /// working-set buffer, a derived table), so that steps bind it where it is without a copy;
    /// <paramref name="what"/> names it in an error.
    /// </summary>
    TensorMemory Allocate(int length, string what);

    /// <summary>Copies the rows <paramref name="rows"/> touches (and their optimizer state) into the working set.</summary>
    void Pull(WorkingSet set, StepRows rows);

    /// <summary>Writes the working set's updated rows back; their optimizer state too unless <paramref name="keepState"/> is false.</summary>
    void Push(WorkingSet set, StepRows rows, bool keepState);

    /// <summary>The values of some rows of a table: destination[k·width ..] = row rows[k].</summary>
    void ReadRows(int parameter, ReadOnlySpan<int> rows, Span<float> destination);

    /// <summary>A whole tensor: slot 0 its values, slot s its optimizer state s − 1.</summary>
    void Read(int parameter, int slot, Span<float> destination);

    /// <summary>Replaces a whole tensor (slot as in <see cref="Read"/>).</summary>
    void Write(int parameter, int slot, ReadOnlySpan<float> source);

    /// <summary>Binds every parameter's current values as inputs of <paramref name="session"/>, by name (scoring graphs).</summary>
    void Bind(GraphSession session);

    /// <summary>
    /// A full copy of values and state (for the best checkpoint, at a validation; never per step).
    /// <paramref name="reuse"/>, an earlier snapshot of this store, may be overwritten and returned
    /// instead of allocating anew: validating every N steps can keep a new best many times an epoch.
    /// </summary>
    StoreSnapshot Snapshot(StoreSnapshot? reuse = null);

    void Restore(StoreSnapshot snapshot);

    /// <summary>Zeroes every optimizer state tensor and the step count: the next update is a new optimizer's first.</summary>
    void ResetOptimizer();
}
