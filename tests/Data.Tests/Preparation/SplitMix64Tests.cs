namespace InverseLearning.Data.Tests.Preparation;

public class SplitMix64Tests
{
    [Fact]
    public void MatchesTheReferenceSequenceForSeedZero()
    {
        // First outputs of the reference C implementation (Vigna, splitmix64.c) seeded with 0.
        var rng = new SplitMix64(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, rng.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.Next());
        Assert.Equal(0x06C45D188009454FUL, rng.Next());
    }

    [Fact]
    public void NextBelowStaysInRangeAndCoversIt()
    {
        var rng = new SplitMix64(7);
        var counts = new int[6];
        for (var i = 0; i < 60_000; i++) counts[rng.NextBelow(6)]++;

        Assert.All(counts, c => Assert.InRange(c, 9_400, 10_600));
    }
}
