using InverseLearning.Data;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// What a checkpoint remembers of the data it was trained on: the vocabulary sizes, the
/// split sizes, a hash of every labeled row (user, item, label, split) in order, a hash of
/// each vocabulary's raw ids in index order, and hashes of what training reads beside the labeled
/// rows (the extra feedback, the unlabeled rows' pairs), so that resuming or evaluating on another log,
/// other labels, another split, the rows in another order, the same rows under other ids, other
/// likes or other unlabeled rows is refused.
/// </summary>
/// <param name="UserIds">A hash of the raw user ids in index order: the rows hash their dense indices, which ids renamed in the same order
/// (users +1000) leave as they were, and the model would then be exported under the other ids. Null in a checkpoint written before it
/// was recorded: not compared.</param>
/// <param name="ItemIds">As <paramref name="UserIds"/>, of the raw item ids.</param>
/// <param name="ExtraFeedback">A hash of the extra feedback, D* (the rows --extra-feedback marks, likes by default), of each split:
/// warm-up and finetune train on it and colliding inference counts its sparse users from it, and the labeled rows' hash leaves it out.
/// Null in a checkpoint or record written before it was recorded: not compared.</param>
/// <param name="Unlabeled">A hash of the (user, item) pairs beside the labeled rows': the seen index (every pair of the log, which
/// "unseen" negatives avoid) and the middle band (the unlabeled impressions --unlabeled-source impressions|both draws from). A
/// streamed read indexes the middle band only for a run that draws from it, a setting compared before the data. Null as
/// <paramref name="ExtraFeedback"/>.</param>
public sealed record DataFingerprint(int Users, int Items, int TrainRows, int ValidRows, int TestRows, ulong Hash, ulong? UserIds = null, ulong? ItemIds = null,
    ulong? ExtraFeedback = null, ulong? Unlabeled = null)
{
    /// <summary>
    /// This fingerprint as a run of <paramref name="settings"/> depends on it: without the extra feedback's hash where no strategy
    /// of the run reads D*, so that its checkpoint may be evaluated, exported or resumed with D* marked by another rule, and its
    /// finished run reused when only the likes changed, as for a checkpoint or record that holds none.
    /// </summary>
    public DataFingerprint ForRun(TrainSettings settings) => Strategies.StrategyRegistry.ReadsExtraFeedback(settings) ? this : this with { ExtraFeedback = null };

    public static DataFingerprint Of(PreparedDataset data)
    {
        var hash = Basis;
        if (data.Streamed is { } streamed)
            hash = Mix(hash, streamed.Digest);   // its training rows are not held: the first pass hashed them in file order
        else
        {
            // Training-train and training-test are hashed as the rows of Train they are, without building them.
            hash = MixRows(hash, data.Train, data.IsTrainTest, inTrainTest: false);
            hash = MixRows(hash, data.Train, data.IsTrainTest, inTrainTest: true);
        }
        hash = MixRows(hash, data.Valid, _ => true, inTrainTest: true);
        hash = MixRows(hash, data.Test, _ => true, inTrainTest: true);
        return new DataFingerprint(data.Users.Count - 1, data.Items.Count - 1, data.TrainRows.Count, data.Valid.Count, data.Test.Count, hash,
            HashIds(data.Users.RawIds), HashIds(data.Items.RawIds), HashExtraFeedback(data.Extra), MixIndex(MixIndex(Basis, data.Seen), data.MiddleBand));
    }

    private const ulong Basis = 14695981039346656037UL;

    // D* of each split, hashed as the labeled rows are (every label 1); a log without the rule's column has none.
    private static ulong HashExtraFeedback(ExtraFeedback extra)
    {
        var hash = Basis;
        foreach (var set in new[] { extra.Train, extra.Valid, extra.Test }) hash = MixRows(hash, set, _ => true, inTrainTest: true);
        return hash;
    }

    /// <summary>Mixes the index's pairs: per user its count of items, then the items (sorted and distinct, so the rows' order and repeats do not count).</summary>
    private static ulong MixIndex(ulong hash, InteractionIndex index)
    {
        var words = new WordStream(Mix(hash, (ulong)index.UserCount));
        for (var user = 0; user < index.UserCount; user++)
        {
            var items = index.ItemsOf(user);
            words.Add((uint)items.Length);
            foreach (var item in items) words.Add((uint)item);
        }
        words.Flush();
        return words.Hash;
    }

    // Entry 0 is the reserved row, not an id.
    private static ulong HashIds(ReadOnlySpan<long> rawIds)
    {
        var hash = Basis;
        foreach (var id in rawIds[Math.Min(1, rawIds.Length)..]) hash = Mix(hash, (ulong)id);
        return hash;
    }

    /// <summary>How <paramref name="other"/> differs, in words; null when it does not.</summary>
    public string? Difference(DataFingerprint other)
    {
        if (this == other) return null;
        if (Users != other.Users || Items != other.Items)
            return $"{other.Users:N0} users and {other.Items:N0} items, the checkpoint was trained on {Users:N0} and {Items:N0}";
        if (TrainRows != other.TrainRows || ValidRows != other.ValidRows || TestRows != other.TestRows)
            return $"train/valid/test {other.TrainRows:N0}/{other.ValidRows:N0}/{other.TestRows:N0} rows, the checkpoint's split had {TrainRows:N0}/{ValidRows:N0}/{TestRows:N0}";
        // Told before the rows: ids renamed in the same order give the same rows of dense indices, and the model would serve each embedding under another id.
        var (users, items) = (Differ(UserIds, other.UserIds), Differ(ItemIds, other.ItemIds));
        if (users || items)
            return $"the same sizes but other {(users && items ? "user and item" : users ? "user" : "item")} ids than the checkpoint was trained on " +
                "(the ids differ from the checkpoint's, as in a log whose ids were renamed: its model would serve each embedding under another id)";
        // The hash follows the rows' order, which the batches follow: the same rows reordered (a day-partitioned copy of the log) differ too.
        if (Hash != other.Hash)
            return "the same sizes but other labeled rows, or the same rows in another order, than the checkpoint was trained on " +
                "(another log, other labels or another split; or the rows reordered, as a day-partitioned copy of the log orders them: the check compares the rows in order, which its batches follow)";
        if (Differ(ExtraFeedback, other.ExtraFeedback))
            return "the same labeled rows but other extra feedback (likes) than the checkpoint was trained on " +
                "(the rows --extra-feedback marks differ: the log's likes changed, or another rule marks them; warm-up, finetune and colliding read them)";
        if (Differ(Unlabeled, other.Unlabeled))
            return "the same labeled rows but other unlabeled rows than the checkpoint was trained on " +
                "(the rows the label rule leaves unlabeled hold other (user, item) pairs: the items each user has seen, which \"unseen\" negatives avoid, " +
                "and the impressions --unlabeled-source impressions|both draws from differ)";
        // What a checkpoint did not record is not compared: it was compared on the rest alone.
        return null;
    }

    // Compared only where both record them: a checkpoint written before they were recorded has none.
    private static bool Differ(ulong? these, ulong? theirs) => these is { } a && theirs is { } b && a != b;

    /// <summary>Mixes the rows r of <paramref name="set"/> with isTrainTest(r) == <paramref name="inTrainTest"/>: their count, then users, items and labels column by column.</summary>
    private static ulong MixRows(ulong hash, LabeledSet set, Func<int, bool> isTrainTest, bool inTrainTest)
    {
        var count = 0;
        for (var r = 0; r < set.Count; r++) if (isTrainTest(r) == inTrainTest) count++;
        hash = Mix(hash, (ulong)count);
        var words = new WordStream(hash);
        foreach (var (user, start, rows) in set.UserRuns())   // by runs: a set grouped by user holds no user column
            for (var r = start; r < start + rows; r++) if (isTrainTest(r) == inTrainTest) words.Add((uint)user);
        words.Flush();
        for (var r = 0; r < set.Count; r++) if (isTrainTest(r) == inTrainTest) words.Add((uint)set.Items[r]);
        words.Flush();
        for (var r = 0; r < set.Count; r++) if (isTrainTest(r) == inTrainTest) words.Add(BitConverter.SingleToUInt32Bits(set.Labels[r]));
        words.Flush();
        return words.Hash;
    }

    /// <summary>
    /// FNV-1a over the bytes of a column of 4-byte values as if they lay in one array: whole
    /// 8-byte words (two values, little-endian), then the bytes of an odd last value; stable
    /// across runs and machines (unlike HashCode).
    /// </summary>
    private struct WordStream(ulong hash)
    {
        private uint? _pending;

        public ulong Hash { get; private set; } = hash;

        public void Add(uint value)
        {
            if (_pending is not { } low)
            {
                _pending = value;
                return;
            }
            Hash = Mix(Hash, low | ((ulong)value << 32));
            _pending = null;
        }

        public void Flush()
        {
            if (_pending is not { } last) return;
            for (var shift = 0; shift < 32; shift += 8) Hash = Mix(Hash, (last >> shift) & 0xFF);
            _pending = null;
        }
    }

    private static ulong Mix(ulong hash, ulong word) => (hash ^ word) * 1099511628211UL;
}
