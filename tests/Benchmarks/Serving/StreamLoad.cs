using System.Collections.Concurrent;
using System.Diagnostics;
using InverseLearning.V1;

namespace InverseLearning.Benchmarks.Serving;

/// <summary>
/// Load on `RankStream`: each caller holds one stream and keeps <c>depth</c> requests sent and
/// not yet answered (a feed client prefetching a few rankings ahead). A message's latency runs
/// from its write to its answer; those sent after the warm-up and before the end count.
/// </summary>
public static class StreamLoad
{
    public static async Task<(double PerSecond, LatencyRecorder Latency)> DriveAsync(Ranker.RankerClient client, RankRequest[] requests,
        int streams, int depth, TimeSpan warmup, TimeSpan measured, int maxMessages)
    {
        var warmUntil = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = warmUntil + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var budget = maxMessages;
        var callers = Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            using var call = client.RankStream();
            using var room = new SemaphoreSlim(depth, depth);
            var sentAt = new ConcurrentQueue<long>();
            var latencies = new List<double>();
            var receiving = Task.Run(async () =>
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                    sentAt.TryDequeue(out var started); // answers come in request order
                    if (started >= warmUntil) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    room.Release();
                }
            });
            for (var n = s; ; n += streams)
            {
                await room.WaitAsync();
                var started = Stopwatch.GetTimestamp();
                if (started >= stopAt || Interlocked.Decrement(ref budget) < 0) break;
                sentAt.Enqueue(started);
                await call.RequestStream.WriteAsync(requests[n % requests.Length]);
            }
            await call.RequestStream.CompleteAsync();
            await receiving;
            return latencies;
        })).ToArray();
        var latency = new LatencyRecorder();
        foreach (var caller in await Task.WhenAll(callers)) latency.Add(caller);
        var seconds = Math.Min(measured.TotalSeconds, Stopwatch.GetElapsedTime(warmUntil).TotalSeconds);
        return (latency.Count / seconds, latency);
    }
}
