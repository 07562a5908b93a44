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

        Assert.Equal(0, first);
        Assert.Equal(2, next);
    }
}
