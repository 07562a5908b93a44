using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>Retried shard calls are told in a few lines per operation, with counts, not one line per call.</summary>
public class RetriedCallsTests
{
    private readonly List<string> _lines = [];
    private TimeSpan _now;

    private RetriedCalls Calls() => new(_lines.Add, TimeSpan.FromSeconds(5), () => _now);

    [Fact]
    public void Thousands_of_failed_calls_to_thousands_of_shards_are_a_line_at_once_then_one_every_interval_with_counts()
    {
        // With --shards 4096 each timed-out call printed a line of its own: some 1,500 lines for one run.
        var calls = Calls();
        for (var k = 0; k < 1_600; k++)
        {
            _now = TimeSpan.FromMilliseconds(10 * k);       // 16 s of failures
            calls.Failed("keep the best copy in", k % 4_096, new TimeoutException());
        }
        calls.Flush();

        // The first at once, then one at 5, 10 and 15 s, and what was left when the calls ended.
        Assert.Equal(5, _lines.Count);
        Assert.Equal("cluster: keep the best copy in shard 0 failed (TimeoutException); retrying while the cluster moves the shard", _lines[0]);
        Assert.Equal("cluster: keep the best copy in 500 shards failed 500 times (TimeoutException) in the last 5 s; retrying while the cluster moves the shards", _lines[1]);
        Assert.Equal(1 + 500 * 3 + 99, _lines.Sum(CallsIn));
    }

    [Fact]
    public void Each_operation_is_counted_apart_and_flush_tells_only_what_is_left()
    {
        var calls = Calls();
        calls.Failed("pull from", 3, new TimeoutException());
        calls.Failed("push to", 3, new TimeoutException());
        calls.Failed("pull from", 3, new InvalidOperationException());
        calls.Failed("pull from", 7, new TimeoutException());
        Assert.Equal(["cluster: pull from shard 3 failed (TimeoutException); retrying while the cluster moves the shard",
            "cluster: push to shard 3 failed (TimeoutException); retrying while the cluster moves the shard"], _lines);

        _now = TimeSpan.FromSeconds(1);
        calls.Flush();
        Assert.Equal("cluster: pull from 2 shards failed 2 times (InvalidOperationException, TimeoutException) in the last 1 s; retrying while the cluster moves the shards", _lines[^1]);
        Assert.Equal(3, _lines.Count);
        calls.Flush();
        Assert.Equal(3, _lines.Count);
    }

    // The calls a line counts: "failed N times", or one.
    private static int CallsIn(string line) =>
        System.Text.RegularExpressions.Regex.Match(line, @"failed ([\d,]+) times") is { Success: true } m ? int.Parse(m.Groups[1].Value.Replace(",", "")) : 1;
}
