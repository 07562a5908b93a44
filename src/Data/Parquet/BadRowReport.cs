namespace InverseLearning.Data;

/// <summary>
/// The rows a read left out, by reason: how many, and the first few row numbers
/// (counted from 1, in file order) so a user can find them.
/// </summary>
public sealed class BadRowReport
{
    /// <summary>How many row numbers are kept per reason.</summary>
    public const int ExampleLimit = 5;

    private readonly Dictionary<BadRowReason, int> _counts = [];
    private readonly Dictionary<BadRowReason, List<long>> _examples = [];

    public long Total { get; private set; }

    public IReadOnlyDictionary<BadRowReason, int> Counts => _counts;

    public IReadOnlyList<long> FirstRows(BadRowReason reason) =>
        _examples.TryGetValue(reason, out var rows) ? rows : [];

    public void Add(BadRowReason reason, long rowNumber)
    {
        Total++;
        _counts[reason] = _counts.GetValueOrDefault(reason) + 1;
        if (!_examples.TryGetValue(reason, out var rows))
            _examples[reason] = rows = [];
        if (rows.Count < ExampleLimit)
            rows.Add(rowNumber);
    }

    /// <summary>One line per reason, e.g. "rating: 3 rows (expected a rating in [1, 5]), first at rows 4, 9, 12".</summary>
    public IEnumerable<string> Describe(ReadOptions options) =>
        _counts.OrderBy(c => c.Key).Select(c =>
            $"{BadRowReasons.Column(c.Key)}: {c.Value} row{(c.Value == 1 ? "" : "s")} skipped ({BadRowReasons.Expectation(c.Key, options)}), first at row{(c.Value == 1 ? "" : "s")} {string.Join(", ", FirstRows(c.Key))}");
}
