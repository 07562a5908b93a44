using System.Diagnostics;
using InverseLearning.Data;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// The retried calls to a run's shards, told in few lines. Told one line per retry, a run with --shards 4096 printed some 1,500 lines
/// as its calls timed out, and a lost primary silo some 350 before the run's last. The first failure of an operation (pull from,
/// keep the best copy in, …) is told at once; the later ones are counted, and told in one line per operation with how many calls to
/// how many shards failed, at most once every <paramref name="every"/> and when the calls that failed have ended (<see cref="Flush"/>).
/// </summary>
/// <param name="report">Where the lines go; null: nowhere.</param>
/// <param name="every">The least time between two lines of one operation.</param>
/// <param name="clock">The time now (a test's own); null: the machine's.</param>
public sealed class RetriedCalls(Action<string>? report, TimeSpan every, Func<TimeSpan>? clock = null)
{
    /// <summary>The least time between two lines of one operation, unless told otherwise.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private static readonly long Started = Stopwatch.GetTimestamp();
    private readonly Func<TimeSpan> _clock = clock ?? (() => Stopwatch.GetElapsedTime(Started));
    private readonly Dictionary<string, Operation> _operations = new(StringComparer.Ordinal);

    // An operation's failures since its last line.
    private sealed class Operation
    {
        public TimeSpan? ToldAt;
        public int Calls;
        public readonly SortedSet<int> Shards = [];
        public readonly SortedSet<string> Errors = new(StringComparer.Ordinal);
    }

    /// <summary>A call of <paramref name="operation"/> to shard <paramref name="shard"/> failed with <paramref name="error"/>, and is retried.</summary>
    public void Failed(string operation, int shard, Exception error)
    {
        string? line;
        lock (_operations)
        {
            if (!_operations.TryGetValue(operation, out var pending)) _operations[operation] = pending = new Operation();
            pending.Calls++;
            pending.Shards.Add(shard);
            pending.Errors.Add(error.GetType().Name);
            var now = _clock();
            line = pending.ToldAt is { } told && now - told < every ? null : Told(operation, pending, now);
        }
        if (line is not null) report?.Invoke(line);
    }

    /// <summary>The calls that failed have ended (retried to success, or given up): what was counted and not yet told is told.</summary>
    public void Flush()
    {
        List<string> lines;
        lock (_operations)
        {
            var now = _clock();
            lines = [.. _operations.Where(o => o.Value.Calls > 0).Select(o => Told(o.Key, o.Value, now))];
        }
        foreach (var line in lines) report?.Invoke(line);
    }

    // A flush soon after a line read "in the last 0 s".
    private static string Since(TimeSpan elapsed) =>
        elapsed < TimeSpan.FromSeconds(1) ? "in under 1 s" : $"in the last {elapsed.TotalSeconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)} s";

    // One line for what was counted, which is then cleared.
    private static string Told(string operation, Operation pending, TimeSpan now)
    {
        var errors = string.Join(", ", pending.Errors);
        var line = pending.Calls == 1
            ? $"cluster: {operation} shard {pending.Shards.Min} failed ({errors}); retrying while the cluster moves the shard"
            : $"cluster: {operation} {(pending.Shards.Count == 1 ? $"shard {pending.Shards.Min}" : Counted.Of(pending.Shards.Count, "shard"))} failed {Counted.Of(pending.Calls, "time")} " +
              $"({errors}){(pending.ToldAt is { } told ? $" {Since(now - told)}" : "")}; retrying while the cluster moves the shards";
        pending.ToldAt = now;
        pending.Calls = 0;
        pending.Shards.Clear();
        pending.Errors.Clear();
        return line;
    }
}
