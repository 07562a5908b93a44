using System.Runtime.InteropServices;
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
        using var trimmer = new IdleMemoryTrimmer(() => calls.Started, () => calls.InFlight, Tick, () => Interlocked.Increment(ref collections));
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
    public async Task A_model_load_ended_is_a_burst_given_back_once_idle()
    {
        // A load reads its files whole and decodes them: a server that loaded micro-video's export and took no call sat at
        // 584 MB of RSS, 253 MB once collected, while only calls counted as bursts.
        var loads = 0L;
        var collections = 0;
        using var trimmer = new IdleMemoryTrimmer(() => Interlocked.Read(ref loads), () => 0, Tick, () => Interlocked.Increment(ref collections));
        await trimmer.StartAsync(CancellationToken.None);

        Interlocked.Increment(ref loads);
        await WaitUntilAsync(() => Volatile.Read(ref collections) == 1);
        await Task.Delay(Tick * 5);
        Assert.Equal(1, collections);
        await trimmer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_burst_ended_before_the_trimmer_started_is_given_back_once_idle()
    {
        // The model's first load ends before the server, and its trimmer, start: a count taken as seen at the start left a
        // server that took no call at that load's peak for good.
        var collections = 0;
        using var trimmer = new IdleMemoryTrimmer(() => 1, () => 0, Tick, () => Interlocked.Increment(ref collections));
        await trimmer.StartAsync(CancellationToken.None);

        await WaitUntilAsync(() => Volatile.Read(ref collections) == 1);
        await Task.Delay(Tick * 5);
        Assert.Equal(1, collections);
        await trimmer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void Giving_back_returns_the_C_heaps_free_pages()
    {
        // A reload frees the old model's session (native memory) into glibc's arenas, which keep its pages: 60 reloads of a 45 MB
        // model left 693 MB resident where one load took 198 MB. Small blocks freed below one still held stay resident until trimmed.
        const int blockBytes = 4096, blocks = 64 * 1024;   // 256 MiB, each block below glibc's mmap threshold, so from its arenas
        var touch = new byte[blockBytes];
        Array.Fill(touch, (byte)1);
        var held = new nint[blocks];
        for (var i = 0; i < blocks; i++)
        {
            held[i] = Marshal.AllocHGlobal(blockBytes);
            Marshal.Copy(touch, 0, held[i], blockBytes);   // written, so resident
        }
        for (var i = 0; i < blocks - 1; i++) Marshal.FreeHGlobal(held[i]);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);   // the managed heap's share given back first
        var before = ResidentBytes();

        IdleMemoryTrimmer.GiveBack();

        var returned = before - ResidentBytes();
        Marshal.FreeHGlobal(held[^1]);
        Assert.True(returned > 128L << 20, $"gave back {returned >> 20} MiB of the 256 MiB freed");
    }

    private static long ResidentBytes()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64;
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
