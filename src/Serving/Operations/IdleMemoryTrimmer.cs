using InverseLearning.Serving.Models;
using InverseLearning.Serving.Transport;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Gives memory back after a burst: once no call has started and no model load has ended for a whole interval, and no call is
/// in progress, one aggressive, compacting collection returns the heap a burst grew (held answers, buffers, a load's files
/// and their decoding) to the OS. Without it nothing allocates when idle, so no collection runs and the RSS stays at the
/// burst's peak: a server that loaded micro-video's export sat at 584 MB, 253 MB once collected. The C heap's free pages, where
/// a reload leaves the old model's session, are given back with it (<see cref="NativeHeap"/>). It runs only when idle, so no
/// call waits on it.
/// </summary>
/// <param name="bursts">A count that moves with each burst: calls started and model loads ended.</param>
public sealed class IdleMemoryTrimmer(Func<long> bursts, Func<int> callsInFlight, TimeSpan interval, Action collect) : BackgroundService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    public IdleMemoryTrimmer(CallGauge calls, ModelHost host) : this(Bursts(calls, host), () => calls.InFlight, DefaultInterval, GiveBack)
    {
    }

    /// <summary>The server's bursts: the calls it started and the model loads it ended.</summary>
    public static Func<long> Bursts(CallGauge calls, ModelHost host) => () => calls.Started + host.LoadsEnded;

    /// <summary>What an idle server gives back: the managed heap, compacted, then the C heap's free pages.</summary>
    public static void GiveBack()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seen = 0L;
        var trimmed = true; // nothing to give back before the first burst (the model's first load, ended before the server starts)
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = bursts();
                if (now != seen)
                {
                    seen = now;
                    trimmed = false;
                }
                else if (!trimmed && callsInFlight() == 0)
                {
                    collect();
                    trimmed = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }
}
