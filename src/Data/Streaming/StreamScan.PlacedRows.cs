using System.Collections;

namespace InverseLearning.Data;

internal sealed partial class StreamScan
{
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
        private readonly GroupDigests _groupDigests;

        /// <param name="hold">Keep the training rows, and the held-out rows in file order as a read of the whole log does (not grouped by user).</param>
        /// <param name="followed">Split randomly, each row's part (by slot of the seen index) as <see cref="FollowRepeatedPairs"/> gave it; null: as drawn.</param>
        /// <param name="groups">The row groups the pass reads, in its order: what the digests by group are of.</param>
        public PlacedRows(IdCounts ids, FeedbackOptions feedback, LakeSource lake, bool hold, byte[]? followed, IReadOnlyList<RowGroupRef> groups)
        {
            _groupDigests = new GroupDigests(groups);
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
                // 1 byte a row, while the rows pass: a random split keeps a pair's rows in its first row's part (PairSplitFollowing).
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

        /// <summary>Places the rows of <paramref name="group"/>, the pass's row group <paramref name="index"/>.</summary>
        public void Add(LabeledGroup group, int index, string source)
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
                        _groupDigests.Add(index, user, item, label, inTrainTest);
                        break;
                }
            }
        }

        /// <summary>
        /// Split randomly and as drawn: each row's part made its pair's first row's (<see cref="PairSplitFollowing"/>), over the seen
        /// index's slots, which hold each user's rows in file order; the parts when that changed any (the rows must pass again), else null.
        /// </summary>
        public byte[]? FollowRepeatedPairs() =>
            _slotParts is { } parts && !_followed && PairSplitFollowing.FollowFirstGrouped(_ids.SeenOffsets, null, _seen, parts, (byte)RowAssignment.Unlabeled) ? parts : null;

        private ExtraFeedback.MarkedPositives? Marked(FeedbackRule? rule, bool available, SetBuilder rows, string flag, string source) => rule is null ? null
            : available || !_readAny ? new ExtraFeedback.MarkedPositives(rule.ToString(), rows.Build())
            : throw CompactLog.MissingColumn(source, flag, rule);

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
            StreamedRows Rows(RowAssignment[] splits, int count, int positives) => new(source, ids.Users, ids.Items, shuffleBuffer, splits, count, positives, _groupDigests);
            var train = new StreamedTrain(
                Rows(TrainSplits, _trainTrain + _trainTest, _trainTrainPositives + _trainTestPositives),
                Rows([RowAssignment.TrainTrain], _trainTrain, _trainTrainPositives),
                Rows([RowAssignment.TrainTest], _trainTest, _trainTestPositives),
                _rowsPerUser, _positivesPerUser, _digest) { SkippedRows = skipped, LargestGroupRows = largestGroupRows };
            var (valid, test) = (_valid.Build(), _test.Build());
            var byTime = source.Cut is { } cut
                ? new TimeSplitReport(cut.Days, ColdStart.Of(valid, _trainedUsers!, _trainedItems!), ColdStart.Of(test, _trainedUsers!, _trainedItems!))
                : null;
            return PreparedDataset.FromStream(ids.Users, ids.Items, train, valid, test, _unlabeled, seen, middleBand, Extra(source), byTime);
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
            if (!source.Split.ByHash) DatasetSplitter.FollowRepeatedPairs(train, ids.Users.Count, isTrainTest);
            var (users, items) = (ids.Users.Count, ids.Items.Count);
            var byTime = source.Cut is { } cut ? new TimeSplitReport(cut.Days, ColdStart.Of(valid, train, users, items), ColdStart.Of(test, train, users, items)) : null;
            return PreparedDataset.FromHeldScan(ids.Users, ids.Items, train, isTrainTest, valid, test, _unlabeled, seen, middleBand, Extra(source), byTime);
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

        private ExtraFeedback Extra(LakeSource source) => new(_feedback.Extra.ToString(), _extraAvailable, _extraTrain.Build(), _extraValid.Build(), _extraTest.Build(), _extraOutside,
            Marked(_feedback.TestPositives, _testPositivesAvailable, _testPositives, "--test-positives", source.Dataset.Source),
            Marked(_feedback.ValidPositives, _validPositivesAvailable, _validPositives, "--valid-positives", source.Dataset.Source));
    }
}
