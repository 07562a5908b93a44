using System.Runtime.InteropServices;

namespace InverseLearning.Data;

/// <summary>
/// The first pass of a streamed run, over every row group twice, holding no row:
/// <list type="number">
/// <item>ids: the vocabularies, and per user how many rows (and unlabeled rows) it has, which
/// size the seen and middle-band indices exactly; split by time, the days that hold rows, where
/// the split is then cut;</item>
/// <item>rows: each row's items placed in those indices; the validation and test rows, and the
/// extra-feedback rows, kept (evaluation reads them at every validation); the training rows
/// only counted, per split and per user's positives, and hashed for the checkpoint's fingerprint and, per row group, for
/// the epochs to check that they read what this pass did (<see cref="GroupDigests"/>).</item>
/// </list>
/// What it holds at the end is 4 bytes per distinct (user, item) pair, the held-out rows and the
/// vocabularies; the training rows are read again at every epoch (<see cref="StreamedRows"/>).
/// A held run reads its log by the same two passes (<see cref="Hold"/>), keeping the training rows
/// too: every array is sized by the first pass and each row placed once, so no moment holds the
/// log's columns and its splits together.
/// </summary>
internal sealed partial class StreamScan
{
    private static readonly RowAssignment[] TrainSplits = [RowAssignment.TrainTrain, RowAssignment.TrainTest];

    private readonly LakeSource _source;
    private readonly FeedbackOptions _feedback;
    private readonly bool _middleBand;
    private readonly IProgress<double>? _progress;

    public StreamScan(LakeSource source, FeedbackOptions feedback, bool middleBand, IProgress<double>? progress)
    {
        if (feedback.Extra.Source == FeedbackSource.Column || feedback.TestPositives?.Source == FeedbackSource.Column)
            throw new DataException($"{source.Dataset.Source}: --stream cannot read a column:NAME feedback rule; use like or rating:N, or train without --stream");
        _source = source;
        _feedback = feedback;
        _middleBand = middleBand;
        _progress = progress;
    }

    public PreparedDataset Run(int shuffleBuffer)
    {
        var (source, ids, rows, skipped, largestGroupRows) = Scan(hold: false);
        var dataset = rows.Finish(source, ids, shuffleBuffer, skipped, largestGroupRows);
        ReleasedArrays.Collect();
        return dataset;
    }

    /// <summary>
    /// A held run's read: the same two passes, with the training rows kept in file order, split
    /// as <see cref="PreparedDataset.Prepare(CompactLog, SplitOptions)"/> splits the whole log
    /// (randomly, by hash or by time), so that each row is placed once, where it ends up.
    /// </summary>
    public PreparedDataset Hold(out BadRowReport skipped)
    {
        (var source, var ids, var rows, skipped, var largestGroupRows) = Scan(hold: true);
        var dataset = rows.FinishHeld(source, ids);
        dataset.ReadGroupRows = largestGroupRows;
        // The passes' garbage (each row group's decoded columns) lies between the placed arrays: without compacting, the epochs' arrays do not fit its holes.
        ReleasedArrays.Compact();
        return dataset;
    }

    private (LakeSource Source, IdCounts Ids, PlacedRows Rows, BadRowReport Skipped, int LargestGroupRows) Scan(bool hold)
    {
        // The ids pass reads and checks every column; when a bad row stops the read (--on-bad-row fail) the rows pass, which
        // holds the growing indices, reads only the ids and the columns its rules read. Under skip both passes read and check
        // everything, to skip the same rows.
        var skipped = new BadRowReport(severalFiles: _source.Dataset.Parts.Count > 1);
        var ids = Pass(_source.Open(), reader => CountIds(reader, skipped));
        var source = _source with { Cut = ids.Cut };
        ReleasedArrays.Collect();
        string?[] ruleColumns = [_feedback.Extra.Column, _feedback.TestPositives?.Column, _feedback.ValidPositives?.Column];
        // The rows pass takes the groups' digests: the stamps it opened the parts with are the ones every later pass must find.
        (PlacedRows Rows, int LargestGroupRows, IReadOnlyList<PartStamp> Stamps) Place(byte[]? followed) => Pass(source.Open(labelColumnsOnly: true, ruleColumns.OfType<string>().ToHashSet()), reader =>
            (PlaceRows(reader, source, ids, hold, followed), reader.Groups.Count == 0 ? 0 : reader.Groups.Max(g => g.Rows), reader.Stamps));   // the ids pass counted the skipped rows
        var (rows, largestGroupRows, stamps) = Place(null);
        if (rows.FollowRepeatedPairs() is { } followed)
        {
            // A random split's repeated pair drew rows into other parts: the rows pass again, each row placed in its pair's first part,
            // the first placing let go before (kept, the training rows would be held twice).
            rows = null!;
            ReleasedArrays.Collect();
            (rows, largestGroupRows, stamps) = Place(followed);
        }
        return (source with { FirstPassStamps = stamps }, ids, rows, skipped, largestGroupRows);
    }

    private static T Pass<T>(LakeReader reader, Func<LakeReader, T> pass)
    {
        try
        {
            return pass(reader);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private void Report(long done, long total) => _progress?.Report(total == 0 ? 1 : Math.Min(1, (double)done / (2 * total)));

    /// <summary>Pass 1: the vocabularies, the rows per user (by first appearance) and the labeled rows per split (split by time: per day, then cut).</summary>
    private IdCounts CountIds(LakeReader reader, BadRowReport skipped)
    {
        var (users, items) = (new AppearanceEncoding(), new AppearanceEncoding());
        var (rowsPerUser, unlabeledPerUser, validPerUser, testPerUser) = (new List<int>(), new List<int>(), new List<int>(), new List<int>());
        var perSplit = new long[5];
        var labeledPerDay = new Dictionary<long, long>();
        var encoded = Array.Empty<int>();
        var itemsEncoded = Array.Empty<int>();
        var done = 0L;
        foreach (var at in reader.Groups)
        {
            var group = reader.ReadAsync(at, skipped).GetAwaiter().GetResult();
            var n = group.Count;
            if (encoded.Length < n) (encoded, itemsEncoded) = (new int[n], new int[n]);
            users.Encode(group.Log.UserId.AsSpan(0, n), encoded);
            items.Encode(group.Log.ItemId.AsSpan(0, n), itemsEncoded);
            while (rowsPerUser.Count < users.Count) { rowsPerUser.Add(0); unlabeledPerUser.Add(0); validPerUser.Add(0); testPerUser.Add(0); }
            var all = CollectionsMarshal.AsSpan(rowsPerUser);
            var unlabeled = CollectionsMarshal.AsSpan(unlabeledPerUser);
            var valid = CollectionsMarshal.AsSpan(validPerUser);
            var test = CollectionsMarshal.AsSpan(testPerUser);
            for (var row = 0; row < n; row++)
            {
                all[encoded[row]]++;
                if (group.Labels[row] == Labeler.Unlabeled) unlabeled[encoded[row]]++;
                if (group.Days is not null) continue;
                var split = group.Assignment[row];
                perSplit[(int)split]++;
                if (split == RowAssignment.Valid) valid[encoded[row]]++;
                else if (split == RowAssignment.Test) test[encoded[row]]++;
            }
            if (group.Days is { } days) CountDays(days.AsSpan(0, n), group.Labels.AsSpan(0, n), labeledPerDay);
            Report(done += at.Rows, reader.Rows);
        }
        var (userIds, userRank) = users.Rank();
        var (itemIds, _) = items.Rank();
        var (userVocabulary, itemVocabulary) = (Vocabulary.FromRawIds(userIds), Vocabulary.FromRawIds(itemIds));
        var cut = _source.ByTime is { } byTime ? DayCut.Of(byTime, labeledPerDay.Keys, reader.DaysSource!, reader.HasSplitColumn, _source.Dataset.Source) : null;
        if (cut is not null)
            foreach (var (day, labeled) in labeledPerDay)
                perSplit[(int)(cut.TagOf(day) switch { SplitTag.Test => RowAssignment.Test, SplitTag.Valid => RowAssignment.Valid, _ => RowAssignment.TrainTrain })] += labeled;
        // Split by hash, each user's held-out rows are counted now, and a streamed run places them grouped by user; split by time the count comes too late.
        var heldOut = cut is null ? (Offsets(validPerUser, userRank), Offsets(testPerUser, userRank)) : ((int[], int[])?)null;
        return new IdCounts(userVocabulary, itemVocabulary, Offsets(rowsPerUser, userRank), _middleBand ? Offsets(unlabeledPerUser, userRank) : null, perSplit, cut, heldOut);
    }

    /// <summary>Every day with rows gets an entry (the days a split by time counts), with its labeled rows; a run of one day is one look-up.</summary>
    private static void CountDays(ReadOnlySpan<long> days, ReadOnlySpan<sbyte> labels, Dictionary<long, long> labeledPerDay)
    {
        for (var start = 0; start < days.Length;)
        {
            var (day, end, labeled) = (days[start], start, 0L);
            for (; end < days.Length && days[end] == day; end++) if (labels[end] != Labeler.Unlabeled) labeled++;
            CollectionsMarshal.GetValueRefOrAddDefault(labeledPerDay, day, out _) += labeled;
            start = end;
        }
    }

    /// <summary>CSR offsets by dense user index from counts by first appearance.</summary>
    private static int[] Offsets(List<int> countByAppearance, int[] rankOf)
    {
        var offsets = new int[rankOf.Length + 2];
        for (var appearance = 0; appearance < rankOf.Length; appearance++) offsets[rankOf[appearance] + 1] = countByAppearance[appearance];
        for (var u = 0; u < offsets.Length - 1; u++) offsets[u + 1] = checked(offsets[u + 1] + offsets[u]);
        return offsets;
    }

    private sealed record IdCounts(Vocabulary Users, Vocabulary Items, int[] SeenOffsets, int[]? MiddleBandOffsets, long[] PerSplit, DayCut? Cut,
        (int[] Valid, int[] Test)? HeldOutOffsets);

    /// <summary>Pass 2: every row placed in the indices, the held-out rows kept, the training rows counted (held: kept too).</summary>
    private PlacedRows PlaceRows(LakeReader reader, LakeSource source, IdCounts ids, bool hold, byte[]? followed)
    {
        var placed = new PlacedRows(ids, _feedback, source, hold, followed, reader.Groups);
        var done = reader.Rows;
        for (var index = 0; index < reader.Groups.Count; index++)
        {
            var at = reader.Groups[index];
            var group = reader.ReadAsync(at, new BadRowReport()).GetAwaiter().GetResult();
            placed.Add(group, index, _source.Dataset.Source);
            Report(done += at.Rows, reader.Rows);
        }
        return placed;
    }
}
