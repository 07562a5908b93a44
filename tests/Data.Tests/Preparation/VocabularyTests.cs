namespace InverseLearning.Data.Tests.Preparation;

public class VocabularyTests
{
    [Theory]
    [InlineData(new long[] { 30, 10, 20, 10, 30 })]                       // narrow range: flat table
    [InlineData(new long[] { long.MaxValue, -5, long.MinValue, -5, 0 })]   // scattered: hash map
    public void IndicesFollowAscendingRawIdsFromOne(long[] ids)
    {
        var vocabulary = Vocabulary.Build(ids);
        var distinct = ids.Distinct().Order().ToArray();

        Assert.Equal(distinct.Length + 1, vocabulary.Count);
        Assert.Equal(distinct, vocabulary.RawIds[1..].ToArray());
        for (var i = 0; i < distinct.Length; i++)
            Assert.Equal(i + 1, vocabulary.IndexOf(distinct[i]));
    }

    [Theory]
    [InlineData(new long[] { 30, 10, 20 }, new long[] { 0, 9, 11, 31, long.MinValue, long.MaxValue })]
    [InlineData(new long[] { long.MaxValue, long.MinValue }, new long[] { 0, -1, long.MaxValue - 1, long.MinValue + 1 })]
    public void UnknownIdsMapToZero(long[] ids, long[] unknown)
    {
        var vocabulary = Vocabulary.Build(ids);

        Assert.All(unknown, id => Assert.Equal(0, vocabulary.IndexOf(id)));
    }

    [Fact]
    public void EncodeMapsEveryId()
    {
        var vocabulary = Vocabulary.Build([100, 7, 100, 42]);

        Assert.Equal([3, 1, 3, 2, 0], vocabulary.Encode([100, 7, 100, 42, 8]));
    }

    [Fact]
    public void EmptyVocabularyHasOnlyTheReservedRow()
    {
        var vocabulary = Vocabulary.Build([]);

        Assert.Equal(1, vocabulary.Count);
        Assert.Equal(0, vocabulary.IndexOf(0));
    }

    [Fact]
    public void FromRawIdsRebuildsAndRejectsDisorder()
    {
        var rebuilt = Vocabulary.FromRawIds([0, -4, 9, 12]);

        Assert.Equal(2, rebuilt.IndexOf(9));
        Assert.Throws<ArgumentException>(() => Vocabulary.FromRawIds([0, 9, 9]));
    }
}

public class VocabularyEncodingTests
{
    [Theory]
    [InlineData(0, 50)]              // narrow range: presence table
    [InlineData(1_000_000_007, 5)]   // scattered: hashing
    public void OnePassBuildEncodesEveryRowByAscendingRank(long stride, int distinct)
    {
        var random = new Random((int)(stride % 1000) + distinct);
        var ids = Enumerable.Range(0, 5000).Select(_ => -7 + random.Next(distinct) * Math.Max(stride, 1)).ToArray();

        var vocabulary = Vocabulary.Build(ids, out var indices);

        var sorted = ids.Distinct().Order().ToList();
        Assert.Equal(sorted, vocabulary.RawIds[1..].ToArray());
        Assert.Equal(ids.Select(id => sorted.IndexOf(id) + 1), indices);
        Assert.Equal(indices, vocabulary.Encode(ids));
        Assert.All(Enumerable.Range(0, ids.Length), r => Assert.Equal(ids[r], vocabulary.RawIds[indices[r]]));
    }
}
