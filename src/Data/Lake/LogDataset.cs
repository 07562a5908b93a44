namespace InverseLearning.Data;

/// <summary>
/// An interaction log as a data lake stores it: one Parquet file, or a directory (or a
/// glob) of part files, possibly under Hive partition directories (`day=2024-01-03/`),
/// which become columns and can be pruned with a <see cref="PartitionFilter"/> before any
/// data is read. All parts are read into one log, sized from their footers.
/// </summary>
public sealed class LogDataset
{
    /// <param name="RelativePath">Its path below the lake's root, as a checkpoint records the parts its run read (<see cref="ReadPart"/>).</param>
    public sealed record Part(string Path, IReadOnlyDictionary<string, string> Partition, string RelativePath);

    /// <summary>What a part's footer says: its rows and its key-value metadata.</summary>
    public sealed record PartFooter(string Path, long Rows, IReadOnlyDictionary<string, string> Metadata);

    // The --where the parts were kept by (null: all), for listing the lake again as it was listed.
    private readonly string? _where;

    // Parts the listing held that are not read (OnlyRead left them out, telling so): not added since it was listed.
    private readonly IReadOnlyList<Part> _leftOut;

    private LogDataset(string source, IReadOnlyList<string> keys, IReadOnlyList<Part> parts, int located, IReadOnlyList<string>? listing,
        string? where = null, IReadOnlyList<Part>? leftOut = null)
    {
        _where = where;
        _leftOut = leftOut ?? [];
        Listing = listing;
        Source = source;
        PartitionKeys = keys;
        Parts = parts;
        LocatedParts = located;
        IsOneFile = !GlobPattern.IsGlob(source) && File.Exists(source);
    }

    /// <summary>What was asked for: a file, a directory or a glob.</summary>
    public string Source { get; }

    public IReadOnlyList<string> PartitionKeys { get; }

    /// <summary>The part files that will be read, in order (after the filter).</summary>
    public IReadOnlyList<Part> Parts { get; }

    /// <summary>How many part files there were before the filter.</summary>
    public int LocatedParts { get; }

    /// <summary>Whether <see cref="Source"/> names one file, not a lake (a directory or a glob) that parts may be added to.</summary>
    public bool IsOneFile { get; }

    /// <summary>
    /// Every part the lake held when it was listed, read or not (--where and a glob select among them), by its path below the
    /// lake's root (a glob's: the dataset the glob selects from): what a run's checkpoint records, to tell the parts its --where or
    /// glob left out from those added since. A run's own after <see cref="OnlyRead"/> (null where its checkpoint records none);
    /// null for one file, and for a glob whose root cannot be listed as a dataset by itself.
    /// </summary>
    public IReadOnlyList<string>? Listing { get; }

    /// <summary>
    /// The part files <see cref="Source"/> holds now, kept by the same --where, that are not among <see cref="Parts"/> nor among those
    /// <see cref="OnlyRead"/> left out: those added since it was listed. The lake is listed again once, no file opened. None where it no longer lists (a part removed or
    /// renamed, which a reader of the parts finds and tells itself).
    /// </summary>
    public IReadOnlyList<string> AddedParts()
    {
        var listed = Parts.Concat(_leftOut).Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        try
        {
            return [.. Open(Source, _where).Parts.Select(p => p.Path).Where(path => !listed.Contains(path))];
        }
        catch (Exception e) when (e is DataException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// The folder a glob's parts are found below (its literal leading directories, the root of its partitions); null when
    /// <paramref name="source"/> is a file or a directory. A glob reads a selection of that folder's dataset, as --where does.
    /// </summary>
    public static string? GlobRoot(string source) => GlobPattern.IsGlob(source) ? GlobPattern.Parse(source).Root : null;

    /// <summary>Finds the parts of <paramref name="source"/> and keeps those <paramref name="where"/> selects (all when null); opens no file.</summary>
    public static LogDataset Open(string source, string? where = null)
    {
        var located = PartLocator.Find(source);
        var parts = new List<Part>();
        IReadOnlyList<string>? keys = null;
        foreach (var relative in located.RelativePaths)
        {
            var pairs = HivePartition.Parse(relative);
            var path = Path.Combine(located.Root, relative);
            var names = pairs.Select(p => p.Key).ToList();
            if (keys is null) keys = names;
            else if (!keys.SequenceEqual(names))
                throw new DataException($"{path}: partition directories ({Describe(names)}) differ from those of {parts[0].Path} ({Describe(keys)}); all part files must sit under the same partition columns");
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
                throw new DataException($"{path}: a partition column appears twice in the path ({Describe(names)})");
            parts.Add(new Part(path, pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), relative));
        }
        keys ??= [];
        var listing = ListingOf(source, located);
        if (where is null) return new LogDataset(source, keys, parts, parts.Count, listing);
        var filter = PartitionFilter.Parse(where);
        foreach (var condition in filter.Conditions)
            if (!keys.Contains(condition.Column))
                throw new DataException(keys.Count == 0
                    ? $"--where '{where}': {source} has no partition columns (no key=value directories above its part files), so '{condition.Column}' is unknown"
                    : $"--where '{where}': unknown partition column '{condition.Column}'; {source} has {Describe(keys)}");
        foreach (var part in parts)
            foreach (var condition in filter.Conditions)
                if (PartitionFilter.OtherDigit(part.Partition[condition.Column]) is { } digit)
                    throw new DataException($"{part.Path}: partition {condition.Column}={part.Partition[condition.Column]} cannot be compared by --where '{where}': it holds {digit}, " +
                        "and numbers and dates are written in ASCII digits (compared as text it would equal no value and be kept or left out by the order of its characters); " +
                        "rename its directory, or leave it out of --data");
                else if (condition.Unordered(part.Partition[condition.Column]) is { } why)
                    throw new DataException($"{part.Path}: partition {condition.Column}={part.Partition[condition.Column]} cannot be ordered by --where '{where}': {why} " +
                        "(compared as text it would be kept or left out by the order of its characters); rename its directory, or leave it out of --data");
        var kept = parts.Where(p => filter.Keeps(p.Partition)).ToList();
        if (kept.Count == 0)
            throw new DataException($"--where '{where}': matches none of the {parts.Count} part file(s) of {source} ({Range(parts, keys)})");
        return new LogDataset(source, keys, kept, parts.Count, listing, where);
    }

    /// <summary>The whole lake's parts below its root, listed with <paramref name="located"/> (a glob's root listed again, its walk only: it selects among them).</summary>
    private static IReadOnlyList<string>? ListingOf(string source, PartLocator.Located located)
    {
        if (!GlobPattern.IsGlob(source)) return File.Exists(source) ? null : located.RelativePaths;
        try
        {
            return PartLocator.Find(located.Root).RelativePaths;
        }
        catch (DataException)
        {
            return null; // a root that is no dataset by itself (a simulation's folder, partitions that differ): which parts are new cannot be told
        }
    }

    /// <summary>
    /// The kept parts as a checkpoint records those its run read: their paths below the lake's root, their rows and their stamps
    /// (reads footers only). Null for one file, which has no parts to add, and may be evaluated under another name.
    /// </summary>
    public IReadOnlyList<ReadPart>? Record() =>
        IsOneFile ? null : [.. Parts.Zip(Footers(), (part, footer) => new ReadPart(part.RelativePath, footer.Rows, PartStamp.Of(part.Path)))];

    /// <summary>
    /// The kept parts a run read (<paramref name="read"/>, recorded by <see cref="Record"/>) and no other: parts added since (or
    /// that its --where left out) are left out, and given in <paramref name="notRead"/>. A part the run read that is gone (or that --where now leaves out), or
    /// whose footer declares other rows, or whose stamp differs (rewritten with as many rows), is refused, naming it, what changed and
    /// <paramref name="reader"/> (reads the kept parts' footers). Its <see cref="Listing"/> is the run's, <paramref name="listedByRun"/>.
    /// </summary>
    public LogDataset OnlyRead(IReadOnlyList<ReadPart> read, IReadOnlyList<string>? listedByRun, PartsReader reader, out IReadOnlyList<Part> notRead)
    {
        var now = Parts.ToDictionary(p => p.RelativePath, StringComparer.Ordinal);
        // The lake's root, as the parts read now place it: a part still there, outside what --data and --where read, is no change of the lake.
        var root = Parts is [var any, ..] ? any.Path[..^any.RelativePath.Length] : null;
        var reads = $"{Source}{(_where is null ? "" : $" under --where '{_where}'")}";
        foreach (var part in read)
            if (!now.ContainsKey(part.Path))
                throw new DataException(root is not null && File.Exists(Path.Combine(root, part.Path))
                    ? $"{reader.Name} read {part.Path}, which is in the lake but not among the parts {reads} reads; {reader.NarrowerAdvice}"
                    : $"{reader.Name} read {part.Path}, which {reads} no longer holds; {reader.Advice}");
        var recorded = read.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var kept = new LogDataset(Source, PartitionKeys, [.. Parts.Where(p => recorded.Contains(p.RelativePath))], LocatedParts, listedByRun, _where,
            [.. Parts.Where(p => !recorded.Contains(p.RelativePath))]);
        var recordedParts = read.ToDictionary(p => p.Path, StringComparer.Ordinal);
        foreach (var (part, footer) in kept.Parts.Zip(kept.Footers()))
        {
            var then = recordedParts[part.RelativePath];
            var change = footer.Rows != then.Rows ? $"{then.Rows:N0} rows, now {footer.Rows:N0}"
                : then.Stamp?.Change(PartStamp.Of(part.Path)) is { } other ? $"as many rows, {then.Rows:N0}, rewritten: {other}" : null;
            if (change is not null) throw new DataException($"{part.Path}: changed since {reader.Name} read it ({change}); {reader.Advice}");
        }
        notRead = kept._leftOut;
        return kept;
    }

    /// <summary>The rows the kept parts' footers declare (reads footers only).</summary>
    public long CountRows() => Footers().Sum(part => part.Rows);

    /// <summary>The kept parts' footers, in order (reads footers only).</summary>
    public IReadOnlyList<PartFooter> Footers() => Synchronously.Run(async () =>
    {
        var footers = new List<PartFooter>(Parts.Count);
        foreach (var part in Parts)
        {
            await using var open = await ParquetPart.OpenAsync(part.Path);
            footers.Add(new PartFooter(part.Path, open.Rows, new Dictionary<string, string>(open.Metadata)));
        }
        return footers;
    });

    /// <summary>Reads the kept parts into one log; bad input throws <see cref="DataException"/> naming the part (or, with Skip, is counted).</summary>
    public DatasetLog Read(ReadOptions? options = null)
    {
        options ??= new ReadOptions();
        return Synchronously.Run(() => ReadAsync(options));
    }

    /// <summary>A log with no rows but the columns the kept parts have (a split column too when the directories give one): what label and feedback rules are resolved against before a streamed read.</summary>
    public InteractionLog Shape() => Synchronously.Run(async () =>
    {
        var (_, columns) = await FootersAsync();
        return ShapeOf(columns);
    });

    /// <summary>
    /// Reads the kept parts row group by row group into a <see cref="CompactLog"/> labeled by
    /// <paramref name="labels"/> and marked by <paramref name="feedback"/>, never holding the raw
    /// log; bad input throws as <see cref="Read"/> does. The extra marks of a column:NAME rule
    /// are left to the caller (<see cref="CompactLog.MarkExtra"/>).
    /// </summary>
    public CompactLog ReadCompact(ReadOptions options, LabelingOptions labels, FeedbackOptions feedback) =>
        Synchronously.Run(async () =>
        {
            var (rows, columns) = await FootersAsync();
            options.Memory?.Require(Source, rows.Sum(), CompactLogBuilder.LeastBytesPerRow, HeldMemoryLimit.WholeLogAdvice);
            var total = ParquetLogReader.CheckedCount(Source, rows.Sum());
            var builder = new CompactLogBuilder(total, ShapeOf(columns), labels, feedback, Source);
            var skipped = new BadRowReport(severalFiles: Parts.Count > 1);
            var reader = new ParquetLogReader(Source, options);
            var start = 0;
            for (var p = 0; p < Parts.Count; p++)
            {
                await using var part = await OpenUnchangedAsync(p, rows[p]);
                await reader.ReadGroupsAsync(part, skipped, start, total, SplitFromPartition(columns) ? PartitionSplit(Parts[p]) : null, builder.Append);
                start += (int)rows[p];
            }
            return builder.Finish(skipped);
        });

    private async Task<DatasetLog> ReadAsync(ReadOptions options)
    {
        var (rows, reference) = await FootersAsync();
        options.Memory?.Require(Source, rows.Sum(), reference.HeldBytesPerRow, HeldMemoryLimit.WholeLogAdvice);
        var total = ParquetLogReader.CheckedCount(Source, rows.Sum());
        var log = ParquetLogReader.NewLog(total, reference);
        var splitFromPartition = SplitFromPartition(reference);
        if (splitFromPartition) log.Split = new SplitTag[total];
        var validator = new RowValidator(options, log, new BadRowReport(severalFiles: Parts.Count > 1));
        var reader = new ParquetLogReader(Source, options);
        var start = 0;
        for (var p = 0; p < Parts.Count; p++)
        {
            await using var part = await OpenUnchangedAsync(p, rows[p]);
            if (splitFromPartition) log.Split.AsSpan(start, (int)rows[p]).Fill(PartitionSplit(Parts[p]));
            await reader.ReadIntoAsync(part, log, validator, start, total);
            start += (int)rows[p];
        }
        var kept = KeptPerPart(rows, validator.Removed);
        validator.Finish();
        return new DatasetLog(log, new PartitionColumns(PartitionKeys, kept, [.. Parts.Select(p => p.Partition)]));
    }

    /// <summary>Footers first: every schema is checked and the rows counted before any data is read.</summary>
    private async Task<(long[] Rows, LogColumns Columns)> FootersAsync()
    {
        var rows = new long[Parts.Count];
        LogColumns? reference = null;
        var simulation = new SimulationAgreement();
        for (var p = 0; p < Parts.Count; p++)
        {
            await using var part = await ParquetPart.OpenAsync(Parts[p].Path);
            SchemaAgreement.CheckPartition(Parts[p], part);
            simulation.Check(part);
            if (reference is null) reference = part.Columns;
            else SchemaAgreement.Check(Parts[0].Path, reference, part.Path, part.Columns);
            rows[p] = part.Rows;
        }
        return (rows, reference!);
    }

    /// <summary>Opens part <paramref name="p"/> to read its rows: refused when its row count is no longer the footers' pass's, or its content its digest's.</summary>
    private async Task<ParquetPart> OpenUnchangedAsync(int p, long rows)
    {
        var part = await ParquetPart.OpenAsync(Parts[p].Path);
        try
        {
            if (part.Rows != rows) throw new DataException($"{part.Path}: changed while being read ({rows} rows, now {part.Rows})");
            part.RequireIntactContent();
            return part;
        }
        catch
        {
            await part.DisposeAsync();
            throw;
        }
    }

    /// <summary>A dataset partitioned by split (`split=train/`, as Spark and DuckDB leave the column out of the files) gets its split column from the directories.</summary>
    private bool SplitFromPartition(LogColumns columns) => columns.Split is null && PartitionKeys.Contains(InteractionLogSchema.Split);

    private InteractionLog ShapeOf(LogColumns columns)
    {
        var shape = ParquetLogReader.NewLog(0, columns);
        if (SplitFromPartition(columns)) shape.Split = [];
        return shape;
    }

    private static SplitTag PartitionSplit(Part part)
    {
        var value = part.Partition[InteractionLogSchema.Split];
        var tag = InteractionLogSchema.ParseSplit(value);
        return tag != SplitTag.Unassigned ? tag
            : throw new DataException($"{part.Path}: partition split={value}: expected train, valid or test");
    }

    private static int[] KeptPerPart(long[] rows, bool[]? removed)
    {
        var kept = rows.Select(r => (int)r).ToArray();
        if (removed is null) return kept;
        var row = 0;
        for (var p = 0; p < kept.Length; p++)
        {
            var end = row + (int)rows[p];
            for (; row < end; row++)
                if (removed[row]) kept[p]--;
        }
        return kept;
    }

    private static string Describe(IReadOnlyList<string> keys) => keys.Count == 0 ? "none" : string.Join(", ", keys);

    private static string Range(IReadOnlyList<Part> parts, IReadOnlyList<string> keys) =>
        string.Join("; ", keys.Select(k =>
        {
            // Ordered as --where compares (10 after 9), by a scan: mixed numbers and words have no total order to sort by.
            var values = parts.Select(p => p.Partition[k]).ToList();
            var (least, most) = (values.Aggregate((a, b) => PartitionFilter.Condition.Compare(b, a) < 0 ? b : a),
                values.Aggregate((a, b) => PartitionFilter.Condition.Compare(b, a) > 0 ? b : a));
            return $"{k} from {least} to {most}";
        }));
}

/// <summary>A dataset read into one log, with the partition values of its rows.</summary>
public sealed record DatasetLog(InteractionLog Log, PartitionColumns Partitions);
