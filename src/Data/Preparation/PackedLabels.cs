using System.Collections;

namespace InverseLearning.Data;

/// <summary>
/// Binary labels (0 or 1), one bit per row: a labeled row costs its two int32 ids and a bit,
/// not a float besides. Read and written as floats, the values losses and metrics take.
/// </summary>
public sealed class PackedLabels : IReadOnlyList<float>
{
    private readonly ulong[] _bits;

    /// <summary><paramref name="count"/> labels, all 0.</summary>
    public PackedLabels(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _bits = new ulong[(count + 63) / 64];
    }

    /// <summary>Packs <paramref name="labels"/>; each must be 0 or 1.</summary>
    public PackedLabels(ReadOnlySpan<float> labels) : this(labels.Length)
    {
        for (var row = 0; row < labels.Length; row++) this[row] = labels[row];
    }

    public int Count { get; }

    public float this[int row]
    {
        get
        {
            CheckRow(row);
            return (_bits[row >> 6] >> (row & 63) & 1) != 0 ? 1f : 0f;
        }
        set
        {
            CheckRow(row);
            var bit = 1UL << (row & 63);
            if (value == 1f) _bits[row >> 6] |= bit;
            else if (value == 0f) _bits[row >> 6] &= ~bit;
            else throw new ArgumentOutOfRangeException(nameof(value), value, $"label of row {row}: expected 0 or 1");
        }
    }

    /// <summary>The labels as floats (what a metric over all rows takes).</summary>
    public float[] ToArray()
    {
        var labels = new float[Count];
        for (var row = 0; row < Count; row++) labels[row] = this[row];
        return labels;
    }

    public IEnumerator<float> GetEnumerator()
    {
        for (var row = 0; row < Count; row++) yield return this[row];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)Count) throw new IndexOutOfRangeException($"row {row} of {Count} labels");
    }
}
