namespace InverseLearning.Data;

/// <summary>
/// The Hive partition columns of a dataset read into one log: each part file's rows are
/// one contiguous range carrying that part's partition values, so a column costs one
/// entry per part, not per row.
/// </summary>
public sealed class PartitionColumns
{
    private readonly int[] _starts;
    private readonly IReadOnlyDictionary<string, string>[] _values;

    internal PartitionColumns(IReadOnlyList<string> keys, int[] counts, IReadOnlyDictionary<string, string>[] values)
    {
        Keys = keys;
        _values = values;
        _starts = new int[counts.Length + 1];
        for (var p = 0; p < counts.Length; p++) _starts[p + 1] = _starts[p] + counts[p];
    }

    /// <summary>The partition column names, outermost directory first; empty for a single file.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Number of part files.</summary>
    public int Parts => _values.Length;

    /// <summary>The rows of part <paramref name="part"/>: [Start, Start + Count).</summary>
    public (int Start, int Count) RowsOf(int part) => (_starts[part], _starts[part + 1] - _starts[part]);

    /// <summary>The value of partition column <paramref name="key"/> at log row <paramref name="row"/>, for tests.</summary>
    internal string ValueAt(string key, int row)
    {
        if (!Keys.Contains(key)) throw new ArgumentException($"no partition column '{key}'; the dataset has {(Keys.Count == 0 ? "none" : string.Join(", ", Keys))}", nameof(key));
        if (row < 0 || row >= _starts[^1]) throw new ArgumentOutOfRangeException(nameof(row));
        var part = Array.BinarySearch(_starts, row);
        // An exact hit can be the start of several parts when some are empty: the last of them holds the row.
        if (part >= 0) while (_starts[part + 1] == row) part++;
        else part = ~part - 1;
        return _values[part][key];
    }

    /// <summary>The values of <paramref name="key"/> per part, in part order.</summary>
    public IEnumerable<string> ValuesOf(string key) => _values.Select(v => v[key]);
}
