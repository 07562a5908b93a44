using System.Text.Json;
using InverseLearning.Data;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// cluster.json: a run's shards, where they ended up, what reaching them cost (the coordinator's
/// traffic), what lost silos cost, and the workers lost (worker → the epoch it was lost in;
/// their parts went to the others from the next epoch, and the updates they had pushed are
/// not in <paramref name="UpdatesAcknowledged"/>).
/// </summary>
/// <param name="UpdatesAcknowledged">Row updates the shards acknowledged to every worker; <paramref name="UpdatesApplied"/> what they hold now (fewer by what lost silos cost).</param>
public sealed record ClusterReport(string Run, int Shards, int SilosHosting, int ShardsRestored, long UpdatesLost, long UpdatesAcknowledged, long UpdatesApplied,
    long Pulls, long Pushes, long Calls, long BytesSent, long BytesReceived, double PullSeconds, double PushSeconds, long Retries,
    int Workers = 1, Dictionary<int, int>? WorkersLost = null)
{
    public const string FileName = "cluster.json";

    /// <summary>The line train prints at a cluster run's end, its counts with their nouns in number ("on 1 silo", "3,314 shards").</summary>
    public string Summary() =>
        $"cluster: {Counted.Of(Shards, "shard")} on {Counted.Of(SilosHosting, "silo")}; {Counted.Of(Pulls, "pull")} and {Counted.Of(Pushes, "push", "pushes")} " +
        FormattableString.Invariant($"({BytesSent / 1e6:F1} MB sent, {BytesReceived / 1e6:F1} MB received); ") +
        $"{Counted.Of(Retries, "call")} retried, {Counted.Of(ShardsRestored, "shard")} restored from snapshots, {Counted.Of(UpdatesLost, "row update")} lost" +
        (WorkersLost is { Count: > 0 } lost ? $"; workers lost (their parts went to the others): {string.Join(", ", lost.Select(l => $"{l.Key} in epoch {l.Value}"))}" : "");

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
