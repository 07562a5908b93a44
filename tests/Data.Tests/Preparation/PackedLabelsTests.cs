namespace InverseLearning.Data.Tests.Preparation;

public class PackedLabelsTests
{
    [Fact]
    public void EachRowKeepsItsOwnBitAcrossWordBoundaries()
    {
        var expected = new float[130];
        foreach (var row in new[] { 0, 1, 63, 64, 65, 127, 128, 129 }) expected[row] = 1f;

        var labels = new PackedLabels(expected);
        labels[1] = 0f;
        expected[1] = 0f;

        Assert.Equal(130, labels.Count);
        Assert.Equal(expected, labels.ToArray());
        Assert.Equal(expected, labels);
    }

    [Fact]
    public void OnlyZeroAndOneAreLabels()
    {
        var labels = new PackedLabels(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => labels[0] = 0.5f);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PackedLabels([1f, -1f]));
    }

    [Fact]
    public void RowsOutsideTheLabelsAreRefusedEvenInsideTheLastWord()
    {
        var labels = new PackedLabels(3);
        Assert.Throws<IndexOutOfRangeException>(() => labels[3]);
        Assert.Throws<IndexOutOfRangeException>(() => labels[-1]);
    }
}
