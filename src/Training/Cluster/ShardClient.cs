using System.Diagnostics;
using Orleans.Runtime;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// A run's calls to its shards: every operation goes to all the shards it concerns at once and
/// waits for them all. A call that fails because a silo was lost is retried (with a growing
/// pause, for <see cref="ClusterSettings.RetryFor"/> at most) until the cluster has noticed and the shard has
/// come back on another silo from its snapshot; the retries are told in few lines (<see cref="RetriedCalls"/>). At most
/// <see cref="MaxCallsInFlight"/> calls are in flight at once. Counts the row updates each shard acknowledged,
/// so that what a lost silo cost can be told afterwards (<see cref="LostUpdates"/>).
/// </summary>
public sealed class ShardClient(IGrainFactory grains, string run, int shards, int persistEvery, TimeSpan retryFor, Action<string>? report = null)
{
    private readonly IEmbeddingShard[] _shards = Enumerable.Range(0, shards).Select(s => grains.GetGrain<IEmbeddingShard>(ShardKey(run, s))).ToArray();

    /// <summary>Shard <paramref name="shard"/> of <paramref name="run"/>'s grain key, which names its snapshot.</summary>
    public static string ShardKey(string run, int shard) => $"{run}/{shard}";
    private readonly long[] _acknowledged = new long[shards];

    /// <summary>
    /// The most calls to the shards in flight at once. All 4,096 shards of the largest --shards asked at once (each to keep its best
    /// copy) timed out by the hundreds on a healthy local cluster, retried for 49 s instead of 3; 1,024 at once did not.
    /// </summary>
    public const int MaxCallsInFlight = 256;

    private readonly SemaphoreSlim _inFlight = new(MaxCallsInFlight);
    private readonly RetriedCalls _retried = new(report, RetriedCalls.Every);

    public int Count => shards;
    public int PersistEvery => persistEvery;
    public string Run => run;
    public ShardTraffic Traffic { get; } = new();

    public void Create(ShardLayout[] layouts, float[][][] initial)
    {
        Array.Clear(_acknowledged);
        All(s => _shards[s].Create(layouts[s], initial[s]), "create");
    }

    public ShardTensors?[] Pull(ShardRows?[] requests, bool withState)
    {
        var started = Stopwatch.GetTimestamp();
        var replies = new ShardTensors?[shards];
        var tasks = new List<Task>();
        for (var s = 0; s < shards; s++)
        {
            if (requests[s] is not { } request) continue;
            var shard = s;
            Traffic.BytesSent += 4 * request.Count;
            tasks.Add(Retrying(async () => replies[shard] = await _shards[shard].Pull(request, withState), "pull from", shard));
        }
        // No shard holds a row asked for (every step of LightGCN, whose tables all stay in the process): no pull, which the closing line counted.
        if (tasks.Count == 0) return replies;
        Wait(tasks);
        foreach (var reply in replies)
            if (reply is not null) Traffic.BytesReceived += 4 * reply.Values.Sum(v => (long)v.Length);
        Traffic.Pulls++;
        Traffic.Calls += tasks.Count;
        Traffic.PullTime += Stopwatch.GetElapsedTime(started);
        return replies;
    }

    public void Push(ShardRows?[] requests, ShardTensors?[] updates, bool keepState)
    {
        var started = Stopwatch.GetTimestamp();
        var tasks = new List<Task>();
        for (var s = 0; s < shards; s++)
        {
            if (requests[s] is not { } request) continue;
            var shard = s;
            Traffic.BytesSent += 4 * request.Count + 4 * updates[s]!.Values.Sum(v => (long)v.Length);
            tasks.Add(Retrying(async () =>
            {
                await _shards[shard].Push(request, updates[shard]!, keepState);
                Interlocked.Add(ref _acknowledged[shard], request.Count);
            }, "push to", shard));
        }
        if (tasks.Count == 0) return;
        Wait(tasks);
        Traffic.Pushes++;
        Traffic.Calls += tasks.Count;
        Traffic.PushTime += Stopwatch.GetElapsedTime(started);
    }

    public float[][] Read(int table, int slot)
    {
        var pieces = new float[shards][];
        All(async s => pieces[s] = await _shards[s].Read(table, slot), "read from");
        return pieces;
    }

    public void Write(int table, int slot, float[][] pieces) => All(s => _shards[s].Write(table, slot, pieces[s]), "write");

    public void ResetOptimizer() => All(s => _shards[s].ResetOptimizer(), "reset the optimizer of");

    public void KeepBest(long id) => All(s => _shards[s].KeepBest(id), "keep the best copy in");

    public void RestoreBest(long id) => All(s => _shards[s].RestoreBest(id), "restore the best copy of");

    /// <summary>The run is over: every shard deletes its snapshot and lets its rows go; how many snapshots there were to delete.</summary>
    public int Drop()
    {
        var deleted = 0;
        All(async s =>
        {
            if (await _shards[s].Drop()) Interlocked.Increment(ref deleted);
        }, "drop");
        return deleted;
    }

    public ShardStatus[] Status()
    {
        var status = new ShardStatus[shards];
        All(async s => status[s] = await _shards[s].Status(), "ask the status of");
        return status;
    }

    /// <summary>
    /// Row updates this client had acknowledged that the shards no longer hold: a shard brought
    /// back from its snapshot has the updates applied up to it, not those acknowledged since.
    /// </summary>
    /// <param name="others">Other workers' acknowledged updates per shard (empty when none).</param>
    public long LostUpdates(long[]? others = null) => Status().Select((status, s) =>
        Math.Max(0, Volatile.Read(ref _acknowledged[s]) + (others is { Length: > 0 } ? others[s] : 0) - status.UpdatesApplied)).Sum();

    /// <summary>Row updates each shard acknowledged to this client.</summary>
    public long[] Acknowledged => _acknowledged.ToArray();

    private void All(Func<int, Task> call, string operation) =>
        Wait(Enumerable.Range(0, shards).Select(s => Retrying(() => call(s), operation, s)).ToList());

    // Once the calls have ended, what was retried and not yet told is told.
    private void Wait(List<Task> tasks)
    {
        try
        {
            Task.WhenAll(tasks).GetAwaiter().GetResult();
        }
        finally
        {
            _retried.Flush();
        }
    }

    // One call in flight of the most allowed, released while its retry waits.
    private async Task Bounded(Func<Task> call)
    {
        await _inFlight.WaitAsync();
        try
        {
            await call();
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task Retrying(Func<Task> call, string operation, int shard)
    {
        var started = Stopwatch.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await Bounded(call);
                return;
            }
            catch (Exception e) when (ClusterFaults.IsTransient(e) && Stopwatch.GetElapsedTime(started) < retryFor)
            {
                lock (Traffic) Traffic.Retries++;
                _retried.Failed(operation, shard, e);
                await Task.Delay(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
            // Orleans' messages carry their inner exceptions' stack traces: the run ends in one line saying what to do.
            catch (Exception e) when (ClusterFaults.IsTransient(e))
            {
                throw new ShardUnservedException(operation, shard, retryFor, e);
            }
        }
    }

}
