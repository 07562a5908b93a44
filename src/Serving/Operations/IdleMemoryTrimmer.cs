using InverseLearning.Serving.Transport;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Gives memory back after a burst: once no call has started for a whole interval and none is
/// in progress, one aggressive, compacting collection returns the heap a burst grew (held
/// answers, buffers) to the OS. Without it nothing allocates when idle, so no collection runs
/// and the RSS stays at the burst's peak. It runs only when idle, so no call waits on it.
/// </summary>
public sealed class IdleMemoryTrimmer(CallGauge calls, TimeSpan interval, Action collect) : BackgroundService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    public IdleMemoryTrimmer(CallGauge calls) : this(calls, DefaultInterval, CollectAggressively)
    {
    }

    private static void CollectAggressively() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seen = calls.Started;
        var trimmed = true; // nothing to give back before the first call
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var started = calls.Started;
                if (started != seen)
                {
                    seen = started;
                    trimmed = false;
                }
                else if (!trimmed && calls.InFlight == 0)
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
