namespace InverseLearning.Data.Tests.Preparation;

public class AppearanceEncodingTests
{
    [Fact]
    public void PiecesAreNumberedByAppearanceThenRenumberedByAscendingRawId()
    {
        var encoding = new AppearanceEncoding();
        var encoded = new int[6];
        encoding.Encode([30, 10, 30], encoded.AsSpan(0, 3));
        encoding.Encode([20, 10, -5], encoded.AsSpan(3, 3));

        Assert.Equal([0, 1, 0, 2, 1, 3], encoded);   // order of first appearance
        var rawIds = encoding.RankInPlace(encoded);

        Assert.Equal([0L, -5, 10, 20, 30], rawIds);
        Assert.Equal([4, 2, 4, 3, 2, 1], encoded);
    }
}
