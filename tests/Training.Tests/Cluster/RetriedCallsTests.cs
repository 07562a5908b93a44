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

    [Fact]
    public void A_flush_within_a_second_of_the_last_line_says_under_1_s_and_counts_read_in_number_with_separators()
    {
        var calls = Calls();
        calls.Failed("pull from", 1, new TimeoutException());
        for (var shard = 0; shard < 3_314; shard++) calls.Failed("pull from", shard, new TimeoutException());

        _now = TimeSpan.FromMilliseconds(300);
        calls.Flush();

        // It read "in the last 0 s", and "3314 shards".
        Assert.Equal("cluster: pull from 3,314 shards failed 3,314 times (TimeoutException) in under 1 s; retrying while the cluster moves the shards", _lines[^1]);
    }

    [Fact]
    public void One_shard_failing_again_and_again_is_told_with_how_often()
    {
        // A shard whose silo was lost fails every retry until it comes back elsewhere: one shard, many calls, told as many.
        var calls = Calls();
        for (var k = 0; k < 4; k++)
        {
            _now = TimeSpan.FromMilliseconds(500 * k);
            calls.Failed("pull from", 5, new TimeoutException());
        }
        _now = TimeSpan.FromSeconds(2);
        calls.Flush();

        Assert.Equal(["cluster: pull from shard 5 failed (TimeoutException); retrying while the cluster moves the shard",
            "cluster: pull from shard 5 failed 3 times (TimeoutException) in the last 2 s; retrying while the cluster moves the shards"], _lines);
    }

    [Fact]
    public void The_end_of_run_cluster_line_puts_its_nouns_in_number_with_separators()
    {
        var report = new ClusterReport("r", Shards: 3_314, SilosHosting: 1, ShardsRestored: 1, UpdatesLost: 0, UpdatesAcknowledged: 10, UpdatesApplied: 10,
            Pulls: 1_234, Pushes: 1, Calls: 1_235, BytesSent: 2_500_000, BytesReceived: 0, PullSeconds: 1, PushSeconds: 1, Retries: 1);

        // It read "3314 shards on 1 silos; … 1 pushes … 1 calls retried, 1 shards restored".
        Assert.Equal("cluster: 3,314 shards on 1 silo; 1,234 pulls and 1 push (2.5 MB sent, 0.0 MB received); 1 call retried, 1 shard restored from snapshots, " +
            "0 row updates lost", report.Summary());
    }

    // The calls a line counts: "failed N times", or one.
    private static int CallsIn(string line) =>
        System.Text.RegularExpressions.Regex.Match(line, @"failed ([\d,]+) times") is { Success: true } m ? int.Parse(m.Groups[1].Value.Replace(",", "")) : 1;
}
