namespace InverseLearning.Data;

/// <summary>One row group of a dataset: its part, its index in the part, and its rows (the footer's count).</summary>
public readonly record struct RowGroupRef(int Part, int Group, int FirstRowInPart, int Rows);

/// <summary>
/// A dataset read one row group at a time, in any order: each group checked, labeled and
/// split (by hash, or by day once the source's cut is known) as it arrives. This is all a streamed run reads its log through: the first
/// pass and every epoch. Parts stay open between reads (their footers parsed once). One group
/// at a time: a group is valid until the next read. A reader for the label columns only reads
/// the ids, what the label rule reads and the columns asked for besides, skipping the rest: what
/// a pass needs once another has checked every column (with --on-bad-row fail, so no row can be
/// left out on a column it does not read).
/// </summary>
internal sealed class LakeReader : IAsyncDisposable
{
    private readonly LakeSource _source;
    private readonly LogDataset _dataset;
    private readonly LabelingOptions _labeling;
    private readonly SplitOptions _split;
    private readonly LakeDays? _days;
    private readonly ParquetLogReader _reader;
    private readonly Dictionary<int, ParquetPart> _open = new();
    private readonly Dictionary<int, FileStamp?> _openedAs = new();
    private readonly int[] _rowsBeforePart;
    private readonly bool _labelColumnsOnly;
    private readonly IReadOnlySet<string> _alsoRead;
    private readonly bool _afterFirstPass;
    private InteractionLog? _group;
    private RowAssignment[] _assignment = [];

    private LakeReader(LakeSource source, bool hasSplitColumn, IReadOnlyList<RowGroupRef> groups, int[] rowsBeforePart, long rows, bool labelColumnsOnly, IReadOnlySet<string> alsoRead,
        bool afterFirstPass, IReadOnlyList<PartStamp> stamps)
    {
        Stamps = stamps;
        _source = source;
        _afterFirstPass = afterFirstPass;
        _dataset = source.Dataset;
        _labelColumnsOnly = labelColumnsOnly;
        _alsoRead = alsoRead;
        _labeling = source.Labeling;
        _split = source.Split;
        _days = source.ByTime is null ? null : LakeDays.Of(source.Dataset);
        _reader = new ParquetLogReader(source.Dataset.Source, source.Read);
        HasSplitColumn = hasSplitColumn;
        Groups = groups;
        _rowsBeforePart = rowsBeforePart;
        Rows = rows;
    }

    /// <summary>Whether the dataset has a split column (which a streamed read never uses).</summary>
    public bool HasSplitColumn { get; }

    /// <summary>Where the rows' days come from, in words; null when the source splits by hash.</summary>
    public string? DaysSource => _days?.Source;

    /// <summary>Every row group of the dataset's kept parts, in file order.</summary>
    public IReadOnlyList<RowGroupRef> Groups { get; }

    /// <summary>Rows the footers declare.</summary>
    public long Rows { get; }

    /// <summary>Each part's stamp as this reader opened it: what a first pass leaves to the later ones (<see cref="LakeSource.FirstPassStamps"/>).</summary>
    public IReadOnlyList<PartStamp> Stamps { get; }

    /// <summary>Opens every part's footer: schemas checked against the first part's, row groups listed; no data read.</summary>
    /// <param name="labelColumnsOnly">Read the ids, the label rule's columns and <paramref name="alsoRead"/> only; honoured with --on-bad-row fail alone.</param>
    /// <param name="afterFirstPass">A pass after the first: a part that no longer opens, or opens with another stamp than <see cref="LakeSource.FirstPassStamps"/>, is told as the lake changed since the first pass.</param>
    public static async Task<LakeReader> OpenAsync(LakeSource source, bool labelColumnsOnly = false, IReadOnlySet<string>? alsoRead = null, bool afterFirstPass = false)
    {
        var (dataset, labeling, split) = (source.Dataset, source.Labeling, source.Split);
        labeling.Validate();
        if (labeling.Rule == LabelRule.PlayTime)
            throw new DataException($"{dataset.Source}: --stream cannot label by play-time: its quartiles need every play time before the first row is labeled; use --labels finish-rate, rating or implicit, or train without --stream");
        split.Validate();
        var groups = new List<RowGroupRef>();
        var rowsBefore = new int[dataset.Parts.Count];
        var stamps = new PartStamp[dataset.Parts.Count];
        LogColumns? reference = null;
        var total = 0L;
        var simulation = new SimulationAgreement();
        for (var p = 0; p < dataset.Parts.Count; p++)
        {
            await using var part = await OpenPartAsync(dataset.Parts[p].Path, afterFirstPass);
            stamps[p] = Stamped(source, p, afterFirstPass);
            SchemaAgreement.CheckPartition(dataset.Parts[p], part);
            simulation.Check(part);
            if (reference is null) reference = part.Columns;
            else SchemaAgreement.Check(dataset.Parts[0].Path, reference, part.Path, part.Columns);
            rowsBefore[p] = ParquetLogReader.CheckedCount(dataset.Source, total);
            var inPart = 0L;
            for (var g = 0; g < part.Reader.RowGroupCount; g++)
            {
                var rows = (int)part.Reader.OpenRowGroupReader(g).RowCount;
                if (rows > 0) groups.Add(new RowGroupRef(p, g, (int)inPart, rows));
                inPart += rows;
            }
            total += inPart;
        }
        ParquetLogReader.CheckedCount(dataset.Source, total);
        return new LakeReader(source, reference?.Split is not null || dataset.PartitionKeys.Contains(InteractionLogSchema.Split), groups, rowsBefore, total, labelColumnsOnly && source.Read.OnBadRow == BadRowPolicy.Fail,
            alsoRead ?? new HashSet<string>(), afterFirstPass, stamps);
    }

    /// <summary>
    /// Reads one row group: its rows (bad ones under --on-bad-row skip left out and counted in
    /// <paramref name="skipped"/>), their labels, each labeled row's split and, split by time, each
    /// row's day. Valid until the next read. Split by time before the first pass has cut the days,
    /// the group comes with its days and no split. A random split (a held read's) is drawn in file
    /// order by the caller: its labeled rows come as <see cref="RowAssignment.TrainTrain"/>.
    /// </summary>
    public async Task<LabeledGroup> ReadAsync(RowGroupRef at, BadRowReport skipped)
    {
        var part = await PartAsync(at.Part);
        var columns = _labelColumnsOnly ? LabelColumns(part.Columns) : part.Columns;
        InteractionLog group;
        bool[]? removed;
        try
        {
            (group, removed, _) = await _reader.ReadGroupAsync(part, at.Group, at.FirstRowInPart, _group, skipped, _rowsBeforePart[at.Part] + at.FirstRowInPart, null, columns);
        }
        // A part rewritten under the open reader (a cp over it, perhaps still writing) reads as damaged at the old footer's offsets: said as what it is.
        catch (DataException e) when (_afterFirstPass && FileStamp.Of(part.Path) != _openedAs[at.Part])
        {
            throw ChangedSinceFirstPass(part.Path, $"its size or write time changed while this pass read it (copied over, and perhaps still being written): {e.Message.TrimEnd('.')}", e);
        }
        _group = removed is null ? group : null;
        var labels = Labeler.Label(group, _labeling);
        var days = _days?.Of(group, at.Part, part.Path, at.FirstRowInPart, removed);
        if (days is not null && _source.Cut is null) return new LabeledGroup(group, labels, [], days, part.Path);
        if (_assignment.Length < group.Count) _assignment = new RowAssignment[group.Count];
        for (var row = 0; row < group.Count; row++)
            _assignment[row] = labels[row] == Labeler.Unlabeled ? RowAssignment.Unlabeled
                : days is null ? (_split.ByHash ? HashSplit.Assign(group.UserId[row], group.ItemId[row], _split) : RowAssignment.TrainTrain)
                : Assign(_source.Cut!.TagOf(days[row]), group.UserId[row], group.ItemId[row]);
        return new LabeledGroup(group, labels, _assignment, days, part.Path);
    }

    /// <summary>A labeled row's split by its day's tag: valid and test as tagged, train parted into training-train and -test by the hash.</summary>
    private RowAssignment Assign(SplitTag tag, long userId, long itemId) => tag switch
    {
        SplitTag.Test => RowAssignment.Test,
        SplitTag.Valid => RowAssignment.Valid,
        _ => HashSplit.AssignTrain(userId, itemId, _split),
    };

    private LogColumns LabelColumns(LogColumns all) => all with
    {
        Timestamp = _days is { ReadsTimestamps: true } ? all.Timestamp : null, Split = null,
        Like = _alsoRead.Contains(InteractionLogSchema.Like) ? all.Like : null,
        Hate = _alsoRead.Contains(InteractionLogSchema.Hate) ? all.Hate : null,
        PlayTime = _labeling.Rule == LabelRule.FinishRate ? all.PlayTime : null,
        Duration = _labeling.Rule == LabelRule.FinishRate ? all.Duration : null,
        Rating = _labeling.Rule == LabelRule.Rating || _alsoRead.Contains(InteractionLogSchema.Rating) ? all.Rating : null,
    };

    private async Task<ParquetPart> PartAsync(int p)
    {
        if (_open.TryGetValue(p, out var part)) return part;
        // Taken before the open: a change after it, while the part is read, is then told apart from damage.
        _openedAs[p] = FileStamp.Of(_dataset.Parts[p].Path);
        part = await OpenPartAsync(_dataset.Parts[p].Path, _afterFirstPass);
        _open[p] = part;
        // The first pass reads every part whole, so it checks the content digests; a later pass finds each part's first-pass stamp (its footer, digest included).
        if (!_afterFirstPass) part.RequireIntactContent();
        // A part rewritten after this pass opened its footers: checked against the first pass's stamp, which a first pass has not yet.
        if (_afterFirstPass) Stamped(_source, p, afterFirstPass: true);
        return part;
    }

    // After the first pass, every part opened once: one that fails to open now is the lake changed under the run, which is said first.
    private static async Task<ParquetPart> OpenPartAsync(string path, bool afterFirstPass)
    {
        try
        {
            return await ParquetPart.OpenAsync(path);
        }
        catch (DataException e) when (afterFirstPass)
        {
            throw ChangedSinceFirstPass(path, (e.FilePath == path ? e.Problem : e.Message).TrimEnd('.'), e);
        }
    }

    /// <summary>
    /// The part's stamp (its length and footer, read again from its path: cheap); after the first pass, refused unless it is the
    /// first pass's. Internal for the tests: a part removed after its open and before this read is otherwise a race to set up.
    /// </summary>
    internal static PartStamp Stamped(LakeSource source, int p, bool afterFirstPass)
    {
        var path = source.Dataset.Parts[p].Path;
        PartStamp now;
        try
        {
            now = PartStamp.Of(path);
        }
        // Opened a moment ago, so gone since (a partition's folder too): .NET's "Could not find file" said nothing of why.
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw afterFirstPass
                ? ChangedSinceFirstPass(path, "removed while this pass read the lake", e)
                : PartStamp.Removed(path, $"the run's first pass read the lake; {MustNotChange}", e);
        }
        if (afterFirstPass && source.FirstPassStamps?[p].Change(now) is { } change)
            throw ChangedSinceFirstPass(path, $"rewritten: {change}");
        return now;
    }

    private const string MustNotChange = "a streamed run reads its lake again at every epoch, so the lake must not change while it trains";

    private static DataException ChangedSinceFirstPass(string path, string problem, Exception? inner = null)
    {
        var message = $"{path}: changed since the run's first pass: {problem}; {MustNotChange}";
        return inner is null ? new DataException(message) : new DataException(message, inner);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var part in _open.Values) await part.DisposeAsync();
        _open.Clear();
    }
}

/// <summary>
/// A row group as read: its rows, each row's label, (for labeled rows) its split, split by time each
/// row's day (else null), and its part file. The arrays may be longer than the group; the splits are
/// empty when a split by time has not cut the days yet.
/// </summary>
internal readonly record struct LabeledGroup(InteractionLog Log, sbyte[] Labels, RowAssignment[] Assignment, long[]? Days, string Path)
{
    public int Count => Log.Count;
}
