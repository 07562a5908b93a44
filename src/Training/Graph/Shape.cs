namespace InverseLearning.Training.Graph;

/// <summary>One dimension: a fixed size, or a named symbolic size such as the batch ("N").</summary>
public readonly record struct Dim(long Size, string? Symbol = null)
{
    public bool IsStatic => Symbol is null;
    public static implicit operator Dim(long size) => new(size);
    public static Dim Named(string symbol) => new(-1, symbol);
    public override string ToString() => Symbol ?? Size.ToString();
}

/// <summary>
/// A static view of a tensor's shape, tracked at build time so that gradients of
/// broadcasting ops can be reduced back to their operand's shape.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    public Shape(params Dim[] dims) => Dims = dims;

    public IReadOnlyList<Dim> Dims { get; }
    public int Rank => Dims.Count;
    public Dim this[int axis] => Dims[axis < 0 ? axis + Rank : axis];

    public static readonly Shape Scalar = new();

    public bool Equals(Shape? other) => other is not null && Dims.SequenceEqual(other.Dims);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode() => Dims.Aggregate(Rank, (h, d) => HashCode.Combine(h, d));
    public override string ToString() => "[" + string.Join(", ", Dims) + "]";

    /// <summary>Numpy-style broadcast of two shapes; throws when sizes conflict.</summary>
    public static Shape Broadcast(Shape a, Shape b)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var dims = new Dim[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Rank ? new Dim(1) : a.Dims[i - (rank - a.Rank)];
            var db = i < rank - b.Rank ? new Dim(1) : b.Dims[i - (rank - b.Rank)];
            dims[i] = da == new Dim(1) ? db
                : db == new Dim(1) || da == db ? da
                : throw new ArgumentException($"shapes {a} and {b} do not broadcast (axis {i})");
        }
        return new Shape(dims);
    }
}
