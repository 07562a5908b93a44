using System.Collections;
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
/// only counted, per split and per user's positives, and hashed for the checkpoint's fingerprint.</item>
/// </list>
/// What it holds at the end is 4 bytes per distinct (user, item) pair, the held-out rows and the
/// vocabularies; the training rows are read again at every epoch (<see cref="StreamedRows"/>).
/// A held run reads its log by the same two passes (<see cref="Hold"/>), keeping the training rows
/// too: every array is sized by the first pass and each row placed once, so no moment holds the
/// log's columns and its splits together.
/// </summary>
internal sealed class StreamScan
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
        (PlacedRows Rows, int LargestGroupRows) Place(byte[]? followed) => Pass(source.Open(labelColumnsOnly: true, ruleColumns.OfType<string>().ToHashSet()), reader =>
            (PlaceRows(reader, source, ids, hold, followed), reader.Groups.Count == 0 ? 0 : reader.Groups.Max(g => g.Rows)));   // the ids pass counted the skipped rows
        var (rows, largestGroupRows) = Place(null);
        if (rows.FollowRepeatedPairs() is { } followed)
        {
            // A random split's repeated pair drew rows into other parts: the rows pass again, each row placed in its pair's first part,
            // the first placing let go before (kept, the training rows would be held twice).
            rows = null!;
            ReleasedArrays.Collect();
            (rows, largestGroupRows) = Place(followed);
        }
        return (source, ids, rows, skipped, largestGroupRows);
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
        var placed = new PlacedRows(ids, _feedback, source, hold, followed);
        var done = reader.Rows;
        foreach (var at in reader.Groups)
        {
            var group = reader.ReadAsync(at, new BadRowReport()).GetAwaiter().GetResult();
            placed.Add(group, _source.Dataset.Source);
            Report(done += at.Rows, reader.Rows);
        }
        return placed;
    }

    private sealed class PlacedRows
    {
        private readonly IdCounts _ids;
        private readonly FeedbackOptions _feedback;
        private readonly int[] _seen, _seenCursor;
        private readonly int[]? _middleBand, _middleBandCursor;
        private readonly IRowsBuilder _valid, _test;
        private readonly SetBuilder _extraTrain = new(0), _extraValid = new(0), _extraTest = new(0), _testPositives = new(0), _validPositives = new(0);
        private readonly int[] _rowsPerUser, _positivesPerUser;
        private readonly BitArray? _trainedUsers, _trainedItems;   // streamed split by time: who a training row holds, to count the held-out days' cold ids
        private readonly HeldTrainRows? _heldTrain;   // a held read's training rows
        private readonly SplitDraw? _randomSplit;   // a held read split randomly: each labeled row's part, drawn in file order
        private readonly byte[]? _slotParts;   // split randomly, per slot of _seen (a row), its part: as drawn, or as followed from its pair's first row
        private readonly bool _followed;
        private readonly (long Valid, long Test) _heldOutRows;
        private bool _readAny, _extraAvailable, _testPositivesAvailable, _validPositivesAvailable;   // a rule's column is missing only if a group was read without it
        private int _trainTrain, _trainTest, _trainTestPositives, _trainTrainPositives, _unlabeled, _extraOutside;
        private ulong _digest = 14695981039346656037UL;

        /// <param name="hold">Keep the training rows, and the held-out rows in file order as a read of the whole log does (not grouped by user).</param>
        /// <param name="followed">Split randomly, each row's part (by slot of the seen index) as <see cref="FollowRepeatedPairs"/> gave it; null: as drawn.</param>
        public PlacedRows(IdCounts ids, FeedbackOptions feedback, LakeSource lake, bool hold, byte[]? followed)
        {
            var source = lake.Dataset.Source;
            _ids = ids;
            _feedback = feedback;
            _seen = new int[ids.SeenOffsets[^1]];
            _seenCursor = ids.SeenOffsets[..^1];
            if (ids.MiddleBandOffsets is { } middle) (_middleBand, _middleBandCursor) = (new int[middle[^1]], middle[..^1]);
            (_rowsPerUser, _positivesPerUser) = (new int[ids.Users.Count], new int[ids.Users.Count]);
            var perSplit = ids.PerSplit;
            long train = perSplit[(int)RowAssignment.TrainTrain] + perSplit[(int)RowAssignment.TrainTest];
            _heldOutRows = (perSplit[(int)RowAssignment.Valid], perSplit[(int)RowAssignment.Test]);
            if (hold && !lake.Split.ByHash && ids.Cut is null)
            {
                // The reader gives a random split's labeled rows as training rows (LakeReader): the draw parts them.
                _randomSplit = SplitDraw.Random(perSplit[(int)RowAssignment.TrainTrain], lake.Split);
                (train, _heldOutRows) = (_randomSplit.TrainRows, (_randomSplit.ValidRows, _randomSplit.TestRows));
                // 1 byte a row, while the rows pass: a random split keeps a pair's rows in its first row's part (RepeatedPairs).
                (_slotParts, _followed) = (followed ?? new byte[_seen.Length], followed is not null);
                if (followed is not null)
                {
                    var count = new long[5];
                    foreach (var part in followed) count[part]++;
                    (train, _heldOutRows) = (count[(int)RowAssignment.TrainTrain], (count[(int)RowAssignment.Valid], count[(int)RowAssignment.Test]));
                }
            }
            if (hold) _heldTrain = new HeldTrainRows(checked((int)train), markTrainTest: lake.Split.ByHash);
            if (!hold && ids.HeldOutOffsets is var (validOffsets, testOffsets))
                (_valid, _test) = (new GroupedSetBuilder(validOffsets, source), new GroupedSetBuilder(testOffsets, source));
            else
                (_valid, _test) = (new SetBuilder(checked((int)_heldOutRows.Valid)), new SetBuilder(checked((int)_heldOutRows.Test)));
            if (!hold && ids.Cut is not null) (_trainedUsers, _trainedItems) = (new BitArray(ids.Users.Count), new BitArray(ids.Items.Count));
        }

        public void Add(LabeledGroup group, string source)
        {
            var (log, feedback) = (group.Log, _feedback);
            var extra = feedback.Mark(log, feedback.Extra);
            var testPositives = feedback.TestPositives is { } testRule ? feedback.Mark(log, testRule) : null;
            var validPositives = feedback.ValidPositives is { } validRule ? feedback.Mark(log, validRule) : null;
            _readAny = true;
            _extraAvailable |= extra is not null;
            _testPositivesAvailable |= testPositives is not null;
            _validPositivesAvailable |= validPositives is not null;
            for (var row = 0; row < group.Count; row++)
            {
                var user = _ids.Users.IndexOf(log.UserId[row]);
                var item = _ids.Items.IndexOf(log.ItemId[row]);
                if (user == 0 || item == 0 || _seenCursor[user] == _ids.SeenOffsets[user + 1])
                    throw new DataException($"{source}: changed while being read (a row of the second pass was not in the first)");
                var slot = _seenCursor[user]++;
                _seen[slot] = item;
                var label = group.Labels[row];
                var split = group.Assignment[row];
                if (_randomSplit is { } draw && split != RowAssignment.Unlabeled)
                {
                    // Drawn even when followed, so that the draw stream, which training-test goes on with, is the unfollowed one's.
                    split = draw.Left > 0 ? draw.Next() : throw new DataException($"{source}: changed while being read (the second pass met more labeled rows than the first)");
                    if (_followed) split = (RowAssignment)_slotParts![slot];
                    else _slotParts![slot] = (byte)split;
                }
                if (extra?[row] == true)
                    (split switch { RowAssignment.TrainTrain or RowAssignment.TrainTest => _extraTrain, RowAssignment.Valid => _extraValid, RowAssignment.Test => _extraTest, _ => null })
                        ?.Add(user, item, 1f);
                if (extra?[row] == true && split == RowAssignment.Unlabeled) _extraOutside++;
                switch (split)
                {
                    case RowAssignment.Unlabeled:
                        _unlabeled++;
                        if (_middleBand is { } middle)
                        {
                            if (_middleBandCursor![user] == _ids.MiddleBandOffsets![user + 1])
                                throw new DataException($"{source}: changed while being read (the second pass met more unlabeled rows than the first)");
                            middle[_middleBandCursor[user]++] = item;
                        }
                        break;
                    case RowAssignment.Valid:
                        _valid.Add(user, item, label);
                        if (validPositives?[row] == true) _validPositives.Add(user, item, 1f);
                        break;
                    case RowAssignment.Test:
                        _test.Add(user, item, label);
                        if (testPositives?[row] == true) _testPositives.Add(user, item, 1f);
                        break;
                    default:
                        var inTrainTest = split == RowAssignment.TrainTest;
                        if (_heldTrain is { } held)
                        {
                            held.Add(user, item, label, inTrainTest);
                            break;
                        }
                        if (inTrainTest) _trainTest++; else _trainTrain++;
                        _rowsPerUser[user]++;
                        if (_trainedUsers is not null) (_trainedUsers[user], _trainedItems![item]) = (true, true);
                        if (label == Labeler.Positive)
                        {
                            _positivesPerUser[user]++;
                            if (inTrainTest) _trainTestPositives++; else _trainTrainPositives++;
                        }
                        _digest = Digest(_digest, user, item, label, inTrainTest);
                        break;
                }
            }
        }

        /// <summary>
        /// Split randomly and as drawn: each row's part made its pair's first row's (<see cref="RepeatedPairs"/>), over the seen
        /// index's slots, which hold each user's rows in file order; the parts when that changed any (the rows must pass again), else null.
        /// </summary>
        public byte[]? FollowRepeatedPairs() =>
            _slotParts is { } parts && !_followed && RepeatedPairs.FollowFirstGrouped(_ids.SeenOffsets, null, _seen, parts, (byte)RowAssignment.Unlabeled) ? parts : null;

        private ExtraFeedback.MarkedPositives? Marked(FeedbackRule? rule, bool available, SetBuilder rows, string flag) => rule is null ? null
            : available || !_readAny ? new ExtraFeedback.MarkedPositives(rule.ToString(), rows.Build())
            : throw new DataException($"{flag} {rule}: the log has no '{rule.Column}' column");

        /// <summary>FNV-1a over one training row: stable across runs and machines.</summary>
        private static ulong Digest(ulong hash, int user, int item, sbyte label, bool inTrainTest)
        {
            foreach (var word in (ReadOnlySpan<uint>)[(uint)user, (uint)item, (uint)(label + (inTrainTest ? 2 : 0))])
                hash = (hash ^ word) * 1099511628211UL;
            return hash;
        }

        public PreparedDataset Finish(LakeSource source, IdCounts ids, int shuffleBuffer, BadRowReport skipped, int largestGroupRows)
        {
            var (seen, middleBand) = Indices(ids, source.Dataset.Source);
            StreamedRows Rows(RowAssignment[] splits, int count, int positives) => new(source, ids.Users, ids.Items, shuffleBuffer, splits, count, positives);
            var train = new StreamedTrain(
                Rows(TrainSplits, _trainTrain + _trainTest, _trainTrainPositives + _trainTestPositives),
                Rows([RowAssignment.TrainTrain], _trainTrain, _trainTrainPositives),
                Rows([RowAssignment.TrainTest], _trainTest, _trainTestPositives),
                _rowsPerUser, _positivesPerUser, _digest) { SkippedRows = skipped, LargestGroupRows = largestGroupRows };
            var (valid, test) = (_valid.Build(), _test.Build());
            var byTime = source.Cut is { } cut
                ? new TimeSplitReport(cut.Days, ColdStart.Of(valid, _trainedUsers!, _trainedItems!), ColdStart.Of(test, _trainedUsers!, _trainedItems!))
                : null;
            return PreparedDataset.FromStream(ids.Users, ids.Items, train, valid, test, _unlabeled, seen, middleBand, Extra(), byTime);
        }

        /// <summary>A held read's dataset: what <see cref="PreparedDataset.Prepare(CompactLog, SplitOptions)"/> makes of the same rows.</summary>
        public PreparedDataset FinishHeld(LakeSource source, IdCounts ids)
        {
            var (seen, middleBand) = Indices(ids, source.Dataset.Source);
            var held = _heldTrain!;
            var (train, valid, test) = (held.Build(), _valid.Build(), _test.Build());
            if (held.Count != held.Capacity || valid.Count != _heldOutRows.Valid || test.Count != _heldOutRows.Test)
                throw new DataException($"{source.Dataset.Source}: changed while being read (the second pass met other labeled rows than the first)");
            var isTrainTest = held.TrainTest ?? (_randomSplit ?? SplitDraw.TrainTestOnly(source.Split)).TrainTest(train.Count);
            if (_randomSplit is not null) DatasetSplitter.FollowRepeatedPairs(train, ids.Users.Count, isTrainTest);
            var (users, items) = (ids.Users.Count, ids.Items.Count);
            var byTime = source.Cut is { } cut ? new TimeSplitReport(cut.Days, ColdStart.Of(valid, train, users, items), ColdStart.Of(test, train, users, items)) : null;
            return PreparedDataset.FromHeldScan(ids.Users, ids.Items, train, isTrainTest, valid, test, _unlabeled, seen, middleBand, Extra(), byTime);
        }

        private (InteractionIndex Seen, InteractionIndex MiddleBand) Indices(IdCounts ids, string source)
        {
            var userCount = ids.Users.Count;
            for (var u = 0; u < userCount; u++)
                if (_seenCursor[u] != ids.SeenOffsets[u + 1] || (_middleBandCursor is { } middle && middle[u] != ids.MiddleBandOffsets![u + 1]))
                    throw new DataException($"{source}: changed while being read (the second pass met fewer rows than the first)");
            var seen = InteractionIndex.FromGrouped(ids.SeenOffsets, _seen, userCount);
            var middleBand = _middleBand is null ? InteractionIndex.Build([], [], userCount) : InteractionIndex.FromGrouped(ids.MiddleBandOffsets!, _middleBand, userCount);
            return (seen, middleBand);
        }

        private ExtraFeedback Extra() => new(_feedback.Extra.ToString(), _extraAvailable, _extraTrain.Build(), _extraValid.Build(), _extraTest.Build(), _extraOutside,
            Marked(_feedback.TestPositives, _testPositivesAvailable, _testPositives, "--test-positives"), Marked(_feedback.ValidPositives, _validPositivesAvailable, _validPositives, "--valid-positives"));
    }

    /// <summary>A held read's training rows in file order, in arrays the first pass sized, and, split by hash, which are training-test.</summary>
    private sealed class HeldTrainRows(int capacity, bool markTrainTest)
    {
        private readonly SetBuilder _rows = new(capacity);

        public int Capacity => capacity;
        public int Count { get; private set; }

        /// <summary>Split by hash, each row's own training-test draw; otherwise null: drawn among the rows once all are in.</summary>
        public BitArray? TrainTest { get; } = markTrainTest ? new BitArray(capacity) : null;

        public void Add(int user, int item, sbyte label, bool inTrainTest)
        {
            if (Count < capacity)
            {
                if (inTrainTest) TrainTest?.Set(Count, true);
                _rows.Add(user, item, label);
            }
            Count++;   // past the capacity the lake changed between the passes: FinishHeld refuses it
        }

        public LabeledSet Build() => _rows.Build();
    }

    private interface IRowsBuilder
    {
        void Add(int user, int item, float label);
        LabeledSet Build();
    }

    /// <summary>
    /// Rows placed grouped by user into slots the first pass counted (<see cref="LabeledSet.Grouped"/>: no user column),
    /// each user's in arrival order; a row beyond its user's count, or a count not filled, means the lake changed between the passes.
    /// </summary>
    private sealed class GroupedSetBuilder(int[] offsets, string source) : IRowsBuilder
    {
        private readonly int[] _cursor = offsets[..^1];
        private readonly int[] _items = new int[offsets[^1]];
        private readonly PackedLabels _labels = new(offsets[^1]);

        public void Add(int user, int item, float label)
        {
            if (_cursor[user] == offsets[user + 1]) throw Changed();
            var row = _cursor[user]++;
            _items[row] = item;
            _labels[row] = label;
        }

        public LabeledSet Build()
        {
            for (var u = 0; u < _cursor.Length; u++) if (_cursor[u] != offsets[u + 1]) throw Changed();
            return LabeledSet.Grouped(offsets, _items, _labels);
        }

        private DataException Changed() => new($"{source}: changed while being read (the second pass met other held-out rows than the first)");
    }

    /// <summary>Rows appended one at a time into arrays sized up front (or grown, for the small extra-feedback sets).</summary>
    private sealed class SetBuilder(int capacity) : IRowsBuilder
    {
        private int[] _users = new int[capacity], _items = new int[capacity];
        private PackedLabels _labels = new(capacity);
        private int _count;

        public void Add(int user, int item, float label)
        {
            if (_count == _users.Length) Grow();
            _users[_count] = user;
            _items[_count] = item;
            _labels[_count++] = label;
        }

        private void Grow()
        {
            var size = Math.Max(16, _users.Length * 2);
            Array.Resize(ref _users, size);
            Array.Resize(ref _items, size);
            var labels = new PackedLabels(size);
            for (var r = 0; r < _count; r++) labels[r] = _labels[r];
            _labels = labels;
        }

        public LabeledSet Build()
        {
            if (_count == _users.Length) return new LabeledSet(_users, _items, _labels);
            var labels = new PackedLabels(_count);
            for (var r = 0; r < _count; r++) labels[r] = _labels[r];
            return new LabeledSet(_users[.._count], _items[.._count], labels);
        }
    }
}
