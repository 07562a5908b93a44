using System.Runtime.InteropServices;
using InverseLearning.Data;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// What a checkpoint remembers of the data it was trained on: the vocabulary sizes, the
/// split sizes and a hash of every labeled row (user, item, label, split), so that
/// resuming or evaluating on another log, other labels or another split is refused.
/// </summary>
public sealed record DataFingerprint(int Users, int Items, int TrainRows, int ValidRows, int TestRows, ulong Hash)
{
    public static DataFingerprint Of(PreparedDataset data)
    {
        var hash = 14695981039346656037UL;
        foreach (var set in new[] { data.TrainTrain, data.TrainTest, data.Valid, data.Test })
        {
            hash = Mix(hash, (ulong)set.Count);
            hash = Mix(hash, MemoryMarshal.AsBytes(set.Users.AsSpan(0, set.Count)));
            hash = Mix(hash, MemoryMarshal.AsBytes(set.Items.AsSpan(0, set.Count)));
            hash = Mix(hash, MemoryMarshal.AsBytes(set.Labels.AsSpan(0, set.Count)));
        }
        return new DataFingerprint(data.Users.Count - 1, data.Items.Count - 1, data.Train.Count, data.Valid.Count, data.Test.Count, hash);
    }

    /// <summary>How <paramref name="other"/> differs, in words; null when it does not.</summary>
    public string? Difference(DataFingerprint other)
    {
        if (this == other) return null;
        if (Users != other.Users || Items != other.Items)
            return $"{other.Users:N0} users and {other.Items:N0} items, the checkpoint was trained on {Users:N0} and {Items:N0}";
        if (TrainRows != other.TrainRows || ValidRows != other.ValidRows || TestRows != other.TestRows)
            return $"train/valid/test {other.TrainRows:N0}/{other.ValidRows:N0}/{other.TestRows:N0} rows, the checkpoint's split had {TrainRows:N0}/{ValidRows:N0}/{TestRows:N0}";
        return "the same sizes but other labeled rows (another log, other labels or another split) than the checkpoint was trained on";
    }

    // FNV-1a over 8-byte words: stable across runs and machines (unlike HashCode).
    private static ulong Mix(ulong hash, ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var w in words) hash = Mix(hash, w);
        foreach (var b in bytes[(words.Length * 8)..]) hash = Mix(hash, b);
        return hash;
    }

    private static ulong Mix(ulong hash, ulong word) => (hash ^ word) * 1099511628211UL;
}
