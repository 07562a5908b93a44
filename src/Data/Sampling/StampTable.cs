namespace InverseLearning.Data;

/// <summary>
/// Finds the distinct values of a batch in O(batch): a table over all possible values,
/// allocated once, remembers for each value the batch that last saw it (its stamp) and
/// its slot there, so nothing is cleared between batches.
/// </summary>
internal sealed class StampTable(int valueCount)
{
    private readonly int[] _stamp = new int[valueCount];
    private readonly int[] _slot = new int[valueCount];
    private int _current;

    /// <summary>Writes the distinct values of <paramref name="values"/> to <paramref name="unique"/> and each value's slot to <paramref name="slots"/>; returns how many are distinct.</summary>
    public int Deduplicate(ReadOnlySpan<int> values, Span<int> unique, Span<int> slots)
    {
        if (++_current == int.MaxValue)
        {
            Array.Clear(_stamp);
            _current = 1;
        }
        var count = 0;
        for (var r = 0; r < values.Length; r++)
        {
            var value = values[r];
            if (_stamp[value] != _current)
            {
                _stamp[value] = _current;
                _slot[value] = count;
                unique[count++] = value;
            }
            slots[r] = _slot[value];
        }
        return count;
    }
}
