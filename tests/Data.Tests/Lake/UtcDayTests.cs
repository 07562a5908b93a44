namespace InverseLearning.Data.Tests.Lake;

public class UtcDayTests
{
    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(86_399_999L, 0L)]
    [InlineData(86_400_000L, 1L)]
    [InlineData(-1L, -1L)]
    [InlineData(-86_400_000L, -1L)]
    [InlineData(-86_400_001L, -2L)]
    public void A_timestamp_falls_on_its_floored_utc_day(long timestampMs, long day) => Assert.Equal(day, UtcDay.Of(timestampMs));

    [Fact]
    public void Names_read_back_as_the_same_day_and_other_text_is_no_day()
    {
        Assert.Equal("2024-02-29", UtcDay.Name(19782));
        Assert.True(UtcDay.TryParse("2024-02-29", out var day));
        Assert.Equal(19782, day);
        Assert.True(UtcDay.TryParse("1969-12-31", out var before));
        Assert.Equal(-1, before);
        Assert.False(UtcDay.TryParse("2024-02-30", out _));
        Assert.False(UtcDay.TryParse("20240229", out _));
        Assert.False(UtcDay.TryParse("2024-02-29T00:00", out _));
    }

    [Fact]
    public void Only_days_of_years_1_to_9999_have_names()
    {
        Assert.True(UtcDay.IsNamed(UtcDay.Of(253_402_300_799_999)));   // 9999-12-31 23:59:59.999
        Assert.False(UtcDay.IsNamed(UtcDay.Of(253_402_300_800_000)));
        Assert.True(UtcDay.IsNamed(UtcDay.Of(-62_135_596_800_000)));   // 0001-01-01
        Assert.False(UtcDay.IsNamed(UtcDay.Of(-62_135_596_800_001)));
        Assert.Throws<ArgumentOutOfRangeException>(() => UtcDay.Name(UtcDay.Of(long.MaxValue)));
    }
}
