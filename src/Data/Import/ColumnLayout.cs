namespace InverseLearning.Data.Import;

/// <summary>
/// Which field of a ratings line holds the user, the item, the rating and the timestamp: the documented order (user, item,
/// rating, timestamp) for a file without a header, or where its header's names put them, past columns it does not read. The
/// names were once ignored, and a file headed <c>movieId,userId,rating</c> imported its users as items without a word.
/// </summary>
internal sealed class ColumnLayout
{
    private enum Role { User, Item, Rating, Timestamp }

    /// <summary>The spellings of each column's name a header may use, matched without case and underscores.</summary>
    private static readonly (Role Role, string Name, string[] Spellings)[] Columns =
    [
        (Role.User, "user", ["user", "userId", "user_id", "uid"]),
        (Role.Item, "item", ["item", "itemId", "item_id", "movieId", "movie_id", "video_id", "book_id", "iid"]),
        (Role.Rating, "rating", ["rating", "score", "watch_ratio"]),
        (Role.Timestamp, "timestamp", ["timestamp", "time", "ts"]),
    ];

    private static readonly string[] Ordinals = ["first", "second", "third", "fourth"];

    /// <summary>What a header is expected to name, for the line that refuses one.</summary>
    public static readonly string Expected = "a header naming the " +
        string.Join(", ", Columns[..3].Select(c => $"{c.Name} ({string.Join(", ", c.Spellings)})")) +
        $" and optionally the {Columns[3].Name} ({string.Join(", ", Columns[3].Spellings)}) columns, each once";

    /// <summary>The most columns a header may name (a public dataset's log has a dozen at most; a line of thousands is no header).</summary>
    public const int MaxHeaderFields = 64;

    public static readonly ColumnLayout Documented = new([0, 1, 2, 3], names: null, notRead: []);

    private readonly int[] _fieldOf;
    private readonly string[]? _names;

    private ColumnLayout(int[] fieldOf, string[]? names, string[] notRead) => (_fieldOf, _names, NotRead) = (fieldOf, names, notRead);

    public int User => _fieldOf[(int)Role.User];
    public int Item => _fieldOf[(int)Role.Item];
    public int Rating => _fieldOf[(int)Role.Rating];
    public int Timestamp => _fieldOf[(int)Role.Timestamp];

    /// <summary>
    /// The columns the import does not read, as a note names them: their header's names quoted (a KuaiRec log's <c>'play_duration'</c>,
    /// <c>'date'</c>), and one without a name by its place (pandas' index column: <c>field 1, unnamed</c>, where <c>''</c> read as nothing).
    /// </summary>
    public IReadOnlyList<string> NotRead { get; }

    /// <summary>The field in words, as an error names it: "third field", or, under a header, "field 1, 'score'".</summary>
    public string Describe(int field) => _names is null ? $"{Ordinals[field]} field" : $"field {field + 1}, '{TerminalText.Safe(_names[field])}'";

    /// <summary>
    /// The layout a header's names give, or null and what is wrong with them (as "found …" words). A name that is none of the
    /// four columns' is a column not read; of two names for one column, one that is the column's own name (<c>timestamp</c>
    /// beside KuaiRec's <c>time</c>, a date in words) is read and the other not; two others are refused, as neither is surely it.
    /// </summary>
    public static ColumnLayout? FromHeader(IReadOnlyList<string> names, out string problem)
    {
        int[] fieldOf = [-1, -1, -1, -1];
        var notRead = new List<int>();
        for (var field = 0; field < names.Count; field++)
        {
            if (RoleOf(names[field]) is not { } role)
            {
                notRead.Add(field);
                continue;
            }
            var column = Columns[(int)role];
            if (fieldOf[(int)role] is var earlier and >= 0)
            {
                var earlierIsOwnName = Bare(names[earlier]) == Bare(column.Name);
                if (earlierIsOwnName == (Bare(names[field]) == Bare(column.Name)))
                {
                    problem = $"'{TerminalText.Safe(names[field])}' naming the {column.Name} again (after '{TerminalText.Safe(names[earlier])}')";
                    return null;
                }
                if (earlierIsOwnName)
                {
                    notRead.Add(field);
                    continue;
                }
                notRead.Add(earlier);
            }
            fieldOf[(int)role] = field;
        }
        foreach (var column in Columns)
            if (column.Role != Role.Timestamp && fieldOf[(int)column.Role] < 0)
            {
                problem = $"no {column.Name} column";
                return null;
            }
        problem = "";
        return new ColumnLayout(fieldOf, [.. names], [.. notRead.Order().Select(field => string.IsNullOrWhiteSpace(names[field])
            ? $"field {field + 1}, unnamed" : $"'{TerminalText.Safe(names[field])}'")]);
    }

    private static Role? RoleOf(string name)
    {
        foreach (var column in Columns)
            if (column.Spellings.Any(spelling => Bare(spelling) == Bare(name))) return column.Role;
        return null;
    }

    private static string Bare(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
