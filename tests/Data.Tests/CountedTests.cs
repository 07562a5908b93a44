namespace InverseLearning.Data.Tests;

public class CountedTests
{
    [Theory]
    [InlineData(1, "run", null, "1 run")]
    [InlineData(0, "run", null, "0 runs")]
    [InlineData(2, "method", null, "2 methods")]
    [InlineData(1_200, "rating", null, "1,200 ratings")]
    [InlineData(-1, "repeat", null, "-1 repeats")]
    [InlineData(1, "part file", "part files", "1 part file")]
    [InlineData(3, "pair is", "pairs are", "3 pairs are")]
    public void A_count_takes_its_noun_in_the_number_it_asks_for(long count, string one, string? many, string expected) =>
        Assert.Equal(expected, Counted.Of(count, one, many));
}
