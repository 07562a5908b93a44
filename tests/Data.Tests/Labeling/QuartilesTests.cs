namespace InverseLearning.Data.Tests.Labeling;

public class QuartilesTests
{
    [Theory]
    [InlineData(new long[] { 1, 2, 3, 4 }, 1.75, 3.25)]
    [InlineData(new long[] { 10 }, 10.0, 10.0)]
    [InlineData(new long[] { 4, 0 }, 1.0, 3.0)]
    [InlineData(new long[] { 7, 1, 3, 3, 9 }, 3.0, 7.0)]
    public void MatchHandComputedInterpolation(long[] values, double lower, double upper)
    {
        var column = new NullableColumn<long>(values, Enumerable.Repeat(true, values.Length).ToArray());

        var (q1, q3) = Quartiles.Of(column);

        Assert.Equal(lower, q1, 12);
        Assert.Equal(upper, q3, 12);
    }

    [Fact]
    public void NullsAreLeftOut()
    {
        var column = new NullableColumn<long>([1, 1000, 2, 3, 4], [true, false, true, true, true]);

        Assert.Equal((1.75, 3.25), Quartiles.Of(column));
    }
}
