using InverseLearning.Data;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// What a checkpoint remembers of the data it was trained on: the vocabulary sizes, the
/// split sizes and a hash of every labeled row (user, item, label, split) in order, so that
/// resuming or evaluating on another log, other labels, another split or the rows in another order is refused.
/// </summary>
public sealed record DataFingerprint(int Users, int Items, int TrainRows, int ValidRows, int TestRows, ulong Hash)
{
    public static DataFingerprint Of(PreparedDataset data)
    {
        var hash = 14695981039346656037UL;
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
        return new DataFingerprint(data.Users.Count - 1, data.Items.Count - 1, data.TrainRows.Count, data.Valid.Count, data.Test.Count, hash);
    }

    /// <summary>How <paramref name="other"/> differs, in words; null when it does not.</summary>
    public string? Difference(DataFingerprint other)
    {
        if (this == other) return null;
        if (Users != other.Users || Items != other.Items)
            return $"{other.Users:N0} users and {other.Items:N0} items, the checkpoint was trained on {Users:N0} and {Items:N0}";
        if (TrainRows != other.TrainRows || ValidRows != other.ValidRows || TestRows != other.TestRows)
            return $"train/valid/test {other.TrainRows:N0}/{other.ValidRows:N0}/{other.TestRows:N0} rows, the checkpoint's split had {TrainRows:N0}/{ValidRows:N0}/{TestRows:N0}";
        // The hash follows the rows' order, which the batches follow: the same rows reordered (a day-partitioned copy of the log) differ too.
        return "the same sizes but other labeled rows, or the same rows in another order, than the checkpoint was trained on " +
            "(another log, other labels or another split; or the rows reordered, as a day-partitioned copy of the log orders them: the check compares the rows in order, which its batches follow)";
    }

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
