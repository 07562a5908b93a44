using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    [Fact]
    public void PairsOfSeveralPartsAreIndexedTogetherDistinctAndAscending()
    {
        // user 0: items 5, 3 (part 1) and 3, 4 (part 2); user 2: item 1 twice; user 1: none.
        var index = InteractionIndex.Build([([0, 2, 0], [5, 1, 3]), ([2, 0, 0], [1, 3, 4]), ([], [])], userCount: 3);

        Assert.Equal([3, 4, 5], index.ItemsOf(0).ToArray());
        Assert.True(index.ItemsOf(1).IsEmpty);
        Assert.Equal([1], index.ItemsOf(2).ToArray());
        Assert.Equal(4, index.PairCount);
    }

    [Fact]
    public void AllItemsAreAViewOfTheIndexNotACopyEvenWhenRepeatsLeftATail()
    {
        // Repeats leave the grouped array longer than the distinct pairs. The seen list's writer reads Items once per pair:
        // a copy each time made writing the seen list of a log that repeats its pairs quadratic (hours at a million pairs).
        var index = InteractionIndex.Build([0, 0, 1, 1], [7, 7, 2, 2], userCount: 2);

        ReadOnlySpan<int> first = index.Items, second = index.Items;

        Assert.Equal([7, 2], first.ToArray());
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(first), ref MemoryMarshal.GetReference(second)), "Items copied the pairs");
    }
}
