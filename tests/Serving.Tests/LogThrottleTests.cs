using InverseLearning.Serving.Operations;

namespace InverseLearning.Serving.Tests;

public sealed class LogThrottleTests
{
    [Fact]
    public async Task The_first_line_goes_at_once_and_the_next_once_the_interval_is_over_with_how_many_were_held_back()
    {
        var throttle = new LogThrottle(TimeSpan.FromMilliseconds(300));

        Assert.True(throttle.TryTake(out var first));
        Assert.False(throttle.TryTake(out _));
        Assert.False(throttle.TryTake(out _));
        await Task.Delay(400);
        Assert.True(throttle.TryTake(out var next));
        Assert.False(throttle.TryTake(out _));
        await Task.Delay(400);
        Assert.True(throttle.TryTake(out var third));

        Assert.Equal(0, first);
        Assert.Equal(2, next);
        Assert.Equal(1, third); // held back since the last line, not since the first
    }

    [Fact]
    public async Task A_line_within_the_interval_is_held_back_however_late_in_it()
    {
        // Half the interval, not only at once: an interval cut short let a flood through at that pace.
        var throttle = new LogThrottle(TimeSpan.FromSeconds(3));

        Assert.True(throttle.TryTake(out _));
        await Task.Delay(1_000);
        Assert.False(throttle.TryTake(out _));
    }
}
