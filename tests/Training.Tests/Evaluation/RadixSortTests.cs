using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Tests.Evaluation;

public class RadixSortTests
{
    [Theory]
    [InlineData(1, 0)]   // keys in the low bits only: most digit passes are skipped
    [InlineData(2, 40)]  // keys spread over high bits too
    [InlineData(3, 53)]  // every digit, including the top partial one, varies
    public void Sorts_like_a_stable_reference_sort(int seed, int highShift)
    {
        var random = new Random(seed);
        var n = 5000;
        // Few distinct values so that many keys tie and stability is visible.
        var keys = Enumerable.Range(0, n).Select(_ => ((ulong)(uint)random.Next(0, 7) << highShift) | (uint)random.Next(0, 300)).ToArray();
        var items = Enumerable.Range(0, n).ToArray();
        var expected = items.OrderBy(i => keys[i]).ToArray(); // LINQ OrderBy is stable
        var expectedKeys = expected.Select(i => keys[i]).ToArray();

        RadixSort.Sort(keys, items);

        Assert.Equal(expectedKeys, keys);
        Assert.Equal(expected, items);
    }

    [Fact]
    public void Handles_the_extremes_of_the_key_range()
    {
        ulong[] keys = [ulong.MaxValue, 0, 1UL << 63, ulong.MaxValue - 1, 0];
        int[] items = [0, 1, 2, 3, 4];

        RadixSort.Sort(keys, items);

        Assert.Equal([0UL, 0, 1UL << 63, ulong.MaxValue - 1, ulong.MaxValue], keys);
        Assert.Equal([1, 4, 2, 3, 0], items);
    }
}
