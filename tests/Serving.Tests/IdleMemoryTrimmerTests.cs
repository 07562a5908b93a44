using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Transport;

namespace InverseLearning.Serving.Tests;

public sealed class IdleMemoryTrimmerTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(40);

    [Fact]
    public async Task Memory_is_given_back_once_per_burst_and_only_when_idle()
    {
        var calls = new CallGauge();
        var collections = 0;
        using var trimmer = new IdleMemoryTrimmer(calls, Tick, () => Interlocked.Increment(ref collections));
        await trimmer.StartAsync(CancellationToken.None);

        await Task.Delay(Tick * 5);
        Assert.Equal(0, collections); // no call yet: nothing to give back

        Assert.True(calls.TryEnter(limit: 10));
        await Task.Delay(Tick * 5);
        Assert.Equal(0, collections); // a call in progress: not idle

        calls.Exit();
        await WaitUntilAsync(() => Volatile.Read(ref collections) == 1);
        await Task.Delay(Tick * 5);
        Assert.Equal(1, collections); // once per burst, not on every idle tick

        Assert.True(calls.TryEnter(limit: 10));
        calls.Exit();
        await WaitUntilAsync(() => Volatile.Read(ref collections) == 2);
        await trimmer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void The_gauge_refuses_a_call_over_its_limit_and_frees_the_slot_on_exit()
    {
        var calls = new CallGauge();
        Assert.True(calls.TryEnter(1));
        Assert.False(calls.TryEnter(1));
        Assert.Equal(1, calls.InFlight);
        calls.Exit();
        Assert.True(calls.TryEnter(1));
        Assert.Equal(3, calls.Started);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 100 && !condition(); attempt++) await Task.Delay(20);
        Assert.True(condition(), "the expected event never happened");
    }
}
