namespace InverseLearning.Training.Models;

/// <summary>
/// Which id an embedding table is indexed by. A History table is indexed by item too, but a
/// step gathers the rows its model's <see cref="Runtime.IStepFeed"/> names (CDAE: the items in
/// its users' histories), not the rows' items.
/// </summary>
public enum TableSide { User, Item, History }

/// <summary>
/// An embedding table: one row per vocabulary index (row 0 is the reserved "unknown" row).
/// <paramref name="Whole"/>: every step reads the whole table (a graph model propagates over
/// all rows), so it is bound whole, like a dense parameter, instead of at the batch's rows.
/// </summary>
public sealed record EmbeddingSpec(string Name, TableSide Side, int Dim, double InitStd, bool Whole = false);

/// <summary>How a dense parameter starts, as in the authors' NCF code.</summary>
public enum DenseInit { Zeros, XavierUniform, KaimingUniformSigmoid }

/// <summary>
/// Which initialisation the dense layers take: each parameter's declared <see cref="DenseInit"/>
/// (the authors' NCF code), or PyTorch's <c>nn.Linear</c> defaults, U(±1/√fan_in) for weights
/// and biases alike, for comparisons with PyTorch trainers.
/// </summary>
public enum InitScheme { Ncf, Torch }

/// <summary>A dense weight or bias; <see cref="FanIn"/> and <see cref="FanOut"/> drive its initialisation.</summary>
public sealed record DenseSpec(string Name, long[] Shape, DenseInit Init, int FanIn = 0, int FanOut = 0)
{
    public int Length => (int)Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Fills <paramref name="values"/> with this parameter's initial values.</summary>
    public void Initialize(Span<float> values, Random rng, InitScheme scheme = InitScheme.Ncf)
    {
        // Xavier: U(±sqrt(6 / (fan_in + fan_out))); Kaiming with a = 1 and the sigmoid
        // gain of 1: U(±sqrt(3 / fan_in)). PyTorch's nn.Linear: Kaiming with a = √5, i.e.
        // U(±1/sqrt(fan_in)), and the same bound for its bias. A parameter without a fan-in
        // (not part of a layer) starts as declared under either scheme.
        var bound = scheme == InitScheme.Torch && FanIn > 0 ? 1.0 / Math.Sqrt(FanIn) : Init switch
        {
            DenseInit.XavierUniform => Math.Sqrt(6.0 / (FanIn + FanOut)),
            DenseInit.KaimingUniformSigmoid => Math.Sqrt(3.0 / FanIn),
            _ => 0.0,
        };
        for (var i = 0; i < values.Length; i++) values[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
    }
}
