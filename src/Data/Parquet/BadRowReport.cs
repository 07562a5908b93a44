namespace InverseLearning.Data;

/// <summary>
/// The rows a read left out, by reason: how many, and the first few row numbers (counted from 1, in the dataset's order)
/// so a user can find them; in a dataset of several part files, each with its file and its row there.
/// </summary>
/// <param name="severalFiles">Whether the dataset has several part files, so that each example is told with its file.</param>
public sealed class BadRowReport(bool severalFiles = false)
{
    /// <summary>How many row numbers are kept per reason.</summary>
    public const int ExampleLimit = 5;

    private readonly record struct Example(long Row, string? File, long RowInFile);

    private readonly Dictionary<BadRowReason, int> _counts = [];
    private readonly Dictionary<BadRowReason, List<Example>> _examples = [];
    private string? _firstFile;
    private bool _severalFiles = severalFiles;

    public long Total { get; private set; }

    public IReadOnlyDictionary<BadRowReason, int> Counts => _counts;

    /// <summary>The first rows skipped for <paramref name="reason"/> (the examples the summary names), for tests.</summary>
    internal IReadOnlyList<long> FirstRows(BadRowReason reason) =>
        _examples.TryGetValue(reason, out var rows) ? rows.Select(example => example.Row).ToList() : [];

    /// <param name="rowNumber">The row in the dataset, from 1.</param>
    /// <param name="file">The part file the row is in, and <paramref name="rowInFile"/> its row there (from 1).</param>
    public void Add(BadRowReason reason, long rowNumber, string? file = null, long rowInFile = 0)
    {
        Total++;
        _counts[reason] = _counts.GetValueOrDefault(reason) + 1;
        _firstFile ??= file;
        _severalFiles |= file is not null && file != _firstFile;
        if (!_examples.TryGetValue(reason, out var rows))
            _examples[reason] = rows = [];
        if (rows.Count < ExampleLimit)
            rows.Add(new Example(rowNumber, file, rowInFile));
    }

    /// <summary>The summary's first line, e.g. "lake: skipped 59,730 bad rows:", which <see cref="Describe"/>'s lines follow.</summary>
    public string Headline(string source) => $"{source}: skipped {Counted.Of(Total, "bad row")}:";

    /// <summary>
    /// One line per reason, e.g. "rating: 3 rows (expected a rating in [1, 5]), first at rows 4, 9, 12"; when the rows are in
    /// several part files, each as "10008 (lake/day=2024-01-06/part-0.parquet, its row 8)".
    /// </summary>
    public IEnumerable<string> Describe(ReadOptions options) =>
        _counts.OrderBy(c => c.Key).Select(c =>
            $"{BadRowReasons.Column(c.Key)}: {Counted.Of(c.Value, "row")} skipped ({BadRowReasons.Expectation(c.Key, options)}), first at row{(c.Value == 1 ? "" : "s")} " +
            string.Join(", ", _examples[c.Key].Select(Shown)));

    private string Shown(Example example) =>
        _severalFiles && example.File is not null ? $"{example.Row} ({example.File}, its row {example.RowInFile})" : $"{example.Row}";
}
