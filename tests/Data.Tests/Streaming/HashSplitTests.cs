namespace InverseLearning.Data.Tests.Streaming;

/// <summary>The split by hash: a pure function of (user, item, seed) with the asked shares in expectation, the same in a whole read.</summary>
public class HashSplitTests
{
    private static readonly SplitOptions Options = new(Seed: 5, ByHash: true);

    [Fact]
    public void Shares_are_met_in_expectation()
    {
        var counts = new int[5];
        for (var user = 0L; user < 300; user++)
            for (var item = 0L; item < 300; item++)
                counts[(int)HashSplit.Assign(user, item, Options)]++;
        const double n = 90_000;
        Assert.Equal(0, counts[(int)RowAssignment.Unlabeled]);
        Assert.InRange((counts[(int)RowAssignment.TrainTrain] + counts[(int)RowAssignment.TrainTest]) / n, 0.59, 0.61);
        Assert.InRange(counts[(int)RowAssignment.Valid] / n, 0.19, 0.21);
        Assert.InRange(counts[(int)RowAssignment.Test] / n, 0.19, 0.21);
        Assert.InRange(counts[(int)RowAssignment.TrainTest] / (n * 0.6), 0.09, 0.11);
    }

    [Fact]
    public void The_split_depends_on_user_item_and_seed_alone()
    {
        var other = Options with { Seed = 6 };
        var differs = 0;
        for (var item = 0L; item < 1_000; item++)
        {
            Assert.Equal(HashSplit.Assign(42, item, Options), HashSplit.Assign(42, item, Options with { }));
            if (HashSplit.Assign(42, item, Options) != HashSplit.Assign(42, item, other)) differs++;
            if (HashSplit.Assign(42, item, Options) != HashSplit.Assign(item, 42, Options)) differs++;
        }
        Assert.InRange(differs, 800, 1_600);   // about 56 % of draws differ between two independent splits
    }

    [Fact]
    public void A_whole_read_split_by_hash_puts_each_labeled_row_where_the_hash_says()
    {
        var log = SampleLogs.RandomRatings(rows: 3_000, users: 60, items: 90, seed: 2);
        var labels = Labeler.Label(log, new LabelingOptions(LabelRule.Rating, RatingPositiveAtLeast: 4, RatingNegativeAtMost: 2));
        var assignment = DatasetSplitter.Assign(labels, null, Options, row => (log.UserId[row], log.ItemId[row]));
        for (var row = 0; row < log.Count; row++)
            Assert.Equal(labels[row] == Labeler.Unlabeled ? RowAssignment.Unlabeled : HashSplit.Assign(log.UserId[row], log.ItemId[row], Options), assignment[row]);
        Assert.Contains(RowAssignment.Unlabeled, assignment);
    }

    [Fact]
    public void A_split_by_hash_ignores_the_logs_split_column_and_needs_raw_ids()
    {
        var labels = new sbyte[] { 1, 0 };
        var tags = new[] { SplitTag.Test, SplitTag.Test };
        var assignment = DatasetSplitter.Assign(labels, tags, Options, row => (row, 7));
        Assert.Equal(HashSplit.Assign(0, 7, Options), assignment[0]);
        Assert.Equal(HashSplit.Assign(1, 7, Options), assignment[1]);
        Assert.Throws<ArgumentException>(() => DatasetSplitter.Assign(labels, null, Options));
    }

    [Fact]
    public void The_split_is_the_salted_splitmix64_hash_of_user_then_item()
    {
        // SplitMix64 (Steele, Lea, Flood 2014) written out here: the stream seeded with a·φ ^ b, its second output.
        static ulong Mix(long a, long b)
        {
            var state = unchecked((ulong)a * 0x9E3779B97F4A7C15UL ^ (ulong)b);
            ulong Next()
            {
                var z = state = unchecked(state + 0x9E3779B97F4A7C15UL);
                z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
                z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
                return z ^ (z >> 31);
            }
            Next();
            return Next();
        }
        static double Unit(ulong bits) => (bits >> 11) / 9007199254740992.0;   // the top 53 bits over 2^53

        const long salt = 0x5EED_5117;
        var seen = new HashSet<RowAssignment>();
        for (var user = 0L; user < 20; user++)
            for (var item = 0L; item < 20; item++)
            {
                var hash = Mix((long)Mix(Options.Seed ^ salt, user), item);
                var draw = Unit(hash);
                var expected = draw < 0.6 ? (Unit(Mix((long)hash, 1)) < 0.1 ? RowAssignment.TrainTest : RowAssignment.TrainTrain)
                    : draw < 0.8 ? RowAssignment.Valid : RowAssignment.Test;
                Assert.Equal(expected, HashSplit.Assign(user, item, Options));
                seen.Add(expected);
            }
        Assert.Equal(4, seen.Count);
    }
}
