using InverseLearning.Data;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Tests.Artifacts;

public class DataFingerprintHashTests
{
    /// <summary>
    /// The hash as first defined, over the materialized training-train, training-test, valid
    /// and test sets: FNV-1a of each set's count, then of its users', items' and labels' bytes
    /// (8-byte words, then the odd bytes). Fingerprints of old checkpoints must still match.
    /// </summary>
    private static ulong ReferenceHash(PreparedDataset data)
    {
        static ulong Mix(ulong hash, ulong word) => (hash ^ word) * 1099511628211UL;
        static ulong MixBytes(ulong hash, ReadOnlySpan<byte> bytes)
        {
            var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes);
            foreach (var w in words) hash = Mix(hash, w);
            foreach (var b in bytes[(words.Length * 8)..]) hash = Mix(hash, b);
            return hash;
        }
        var hash = 14695981039346656037UL;
        foreach (var set in new[] { data.TrainTrain, data.TrainTest, data.Valid, data.Test })
        {
            hash = Mix(hash, (ulong)set.Count);
            hash = MixBytes(hash, System.Runtime.InteropServices.MemoryMarshal.AsBytes(set.Users.AsSpan()));
            hash = MixBytes(hash, System.Runtime.InteropServices.MemoryMarshal.AsBytes(set.Items.AsSpan()));
            hash = MixBytes(hash, System.Runtime.InteropServices.MemoryMarshal.AsBytes(set.Labels.ToArray().AsSpan()));
        }
        return hash;
    }

    [Theory]
    [InlineData(200, 1)]
    [InlineData(201, 2)]   // odd set sizes leave a 4-byte tail in some columns
    [InlineData(333, 3)]
    public void The_hash_is_the_one_over_the_materialized_sets(int rows, int seed)
    {
        var random = new Random(seed);
        var log = new InteractionLog(rows) { Rating = new NullableColumn<float>(rows) };
        for (var r = 0; r < rows; r++)
        {
            log.UserId[r] = random.Next(20);
            log.ItemId[r] = random.Next(50);
            log.Rating.Set(r, random.Next(1, 6));
        }
        var data = PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Rating), new SplitOptions(Seed: seed));

        Assert.Equal(ReferenceHash(data), DataFingerprint.Of(data).Hash);
    }
}
