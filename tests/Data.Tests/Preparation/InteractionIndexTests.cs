namespace InverseLearning.Data.Tests.Preparation;

public class InteractionIndexTests
{
    [Fact]
    public void HoldsEachUsersDistinctItemsAscending()
    {
        var random = new Random(3);
        var users = Enumerable.Range(0, 3000).Select(_ => random.Next(1, 40)).ToArray();
        var items = Enumerable.Range(0, 3000).Select(_ => random.Next(1, 200)).ToArray();

        var index = InteractionIndex.Build(users, items, userCount: 41);

        var expected = users.Zip(items).Distinct().ToLookup(p => p.First, p => p.Second);
        Assert.Equal(41, index.UserCount);
        Assert.Equal(expected.Sum(g => g.Count()), index.PairCount);
        for (var u = 0; u < 41; u++)
        {
            Assert.Equal(expected[u].Order().ToArray(), index.ItemsOf(u).ToArray());
            for (var i = 0; i < 200; i++)
                Assert.Equal(expected[u].Contains(i), index.Contains(u, i));
        }
        Assert.True(index.ItemsOf(41).IsEmpty);
        Assert.True(index.ItemsOf(-1).IsEmpty);
    }
}
