namespace InverseLearning.Data.Tests.Sampling;

public class UnseenItemSamplerTests
{
    [Fact]
    public void KthUnseenMatchesBruteForce()
    {
        var random = new Random(1);
        for (var trial = 0; trial < 300; trial++)
        {
            var itemCount = random.Next(2, 40);
            var seen = Enumerable.Range(1, itemCount - 1).Where(_ => random.NextDouble() < 0.5).ToArray();
            var unseen = Enumerable.Range(1, itemCount - 1).Except(seen).ToArray();
            for (var k = 0; k < unseen.Length; k++)
                Assert.Equal(unseen[k], UnseenItemSampler.KthUnseen(seen, k));
        }
    }

    [Fact]
    public void NeverReturnsAnInteractedItemOverManyRandomLogs()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var userCount = random.Next(2, 30);
            var itemCount = random.Next(3, 60);
            var rows = random.Next(1, 600);
            var users = Enumerable.Range(0, rows).Select(_ => random.Next(1, userCount)).ToArray();
            // Some users see almost the whole catalogue, some very little.
            var items = users.Select(u => u % 3 == 0 ? random.Next(1, itemCount) : random.Next(1, Math.Max(2, itemCount / 4))).ToArray();
            var index = InteractionIndex.Build(users, items, userCount);
            var sampler = new UnseenItemSampler(index, itemCount);
            var candidates = Enumerable.Range(1, userCount - 1).Where(u => index.ItemsOf(u).Length < itemCount - 1).ToArray();
            var output = new int[candidates.Length * 5];

            sampler.Sample(candidates, 5, output, new Random(seed));

            for (var r = 0; r < candidates.Length; r++)
                for (var k = 0; k < 5; k++)
                {
                    var item = output[r * 5 + k];
                    Assert.InRange(item, 1, itemCount - 1);
                    Assert.False(index.Contains(candidates[r], item), $"seed {seed}: user {candidates[r]} got seen item {item}");
                }
        }
    }

    [Fact]
    public void DrawsUnseenItemsUniformly()
    {
        // User 1 has seen items 2, 3, 7 of 1..9: six unseen items, each ~1/6 of draws.
        var index = InteractionIndex.Build([1, 1, 1], [2, 3, 7], userCount: 2);
        var sampler = new UnseenItemSampler(index, itemCount: 10);
        var output = new int[60_000];

        sampler.Sample([1], 60_000, output, new Random(9));

        var counts = output.CountBy(i => i).ToDictionary();
        Assert.Equal([1, 4, 5, 6, 8, 9], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c, 9_400, 10_600));
    }

    [Fact]
    public void SameRandomSeedSameSamples()
    {
        var index = InteractionIndex.Build([1, 2], [1, 2], userCount: 3);
        var sampler = new UnseenItemSampler(index, itemCount: 1000);
        var a = new int[40];
        var b = new int[40];

        sampler.Sample([1, 2, 1, 2], 10, a, new Random(4));
        sampler.Sample([1, 2, 1, 2], 10, b, new Random(4));

        Assert.Equal(a, b);
    }

    [Fact]
    public void UserWhoSawEverythingIsAClearError()
    {
        var index = InteractionIndex.Build([1, 1], [1, 2], userCount: 2);
        var sampler = new UnseenItemSampler(index, itemCount: 3);

        var error = Assert.Throws<DataException>(() => sampler.Sample([1], 1, new int[1], new Random(1)));

        Assert.Contains("every item", error.Message);
    }

    [Fact]
    public void SeenItemsOutsideTheCatalogueAreRejected()
    {
        var index = InteractionIndex.Build([1], [12], userCount: 2);

        Assert.Throws<ArgumentException>(() => new UnseenItemSampler(index, itemCount: 10));
    }
}
