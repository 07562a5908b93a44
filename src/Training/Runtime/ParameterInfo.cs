using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// One parameter as a store holds it: its name and shape; for an embedding table the id side
/// it is indexed by (null for a dense parameter), and whether a step reads it whole.
/// </summary>
public sealed record ParameterInfo(string Name, long[] Shape, TableSide? Side, bool Whole)
{
    public int Length => (int)Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Row width for tables ([rows, width]); the whole length for dense parameters.</summary>
    public int RowWidth => Shape.Length == 2 ? (int)Shape[1] : Length;

    /// <summary>Bound whole in a step (a dense parameter, or a table the model reads whole), not at the batch's rows.</summary>
    public bool BoundWhole => Side is null || Whole;
}
