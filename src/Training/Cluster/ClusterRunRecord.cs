using System.Text.Json;
using System.Text.Json.Nodes;
using InverseLearning.Data;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// cluster-run.json in a coordinator's --out: the run on the cluster it opened. A coordinator killed before its run's end
/// leaves that run's shard snapshots and meeting point in the silos' --state, and a --resume opens a run under a name of its
/// own (from the checkpoint, not those shards): only the next run in the same --out knows the earlier one is orphaned.
/// </summary>
/// <param name="Run">The run's name on the cluster.</param>
/// <param name="Shards">Its shards, to be dropped one by one.</param>
public sealed record ClusterRunRecord(string Run, int Shards)
{
    public const string FileName = "cluster-run.json";

    /// <summary>The run recorded in <paramref name="outDir"/>, or null when none is (no run on the cluster, or the last one finished).</summary>
    public static ClusterRunRecord? Read(string outDir)
    {
        var path = Path.Combine(outDir, FileName);
        if (!File.Exists(path)) return null;
        const string deleteIt = "delete it if no run's state is left in the silos' --state";
        const string expected = "expected {\"Run\": NAME, \"Shards\": COUNT}, as a run on the cluster writes";
        ClusterRunRecord? record;
        try
        {
            var fields = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            // The serializer leaves a missing field its default, which would be refused as a value (Shards 0) the file never held.
            if (fields is not null && new[] { nameof(Run), nameof(Shards) }.FirstOrDefault(name => fields[name] is null) is { } missing)
                throw new InvalidDataException($"{path}: the field {missing} is missing (or null); {expected}; {deleteIt}");
            record = fields?.Deserialize<ClusterRunRecord>();
        }
        catch (JsonException)
        {
            record = null;
        }
        if (record is null) throw new InvalidDataException($"{path}: {expected}; {deleteIt}");
        // The ranges of --run and --shards, checked before the takeover makes a call per shard: an edited count of 100,000,000 would allocate for minutes, silently.
        if (!ClusterSettings.IsRunName(record.Run)) throw new InvalidDataException($"{path}: Run '{record.Run}', expected {ClusterSettings.RunNameRule} (a --run); {deleteIt}");
        if (record.Shards is < 1 or > ClusterSettings.MaxShards)
            throw new InvalidDataException($"{path}: Shards {record.Shards:N0}, expected 1 to {ClusterSettings.MaxShards:N0} (a --shards); {deleteIt}");
        return record;
    }

    public void Save(string outDir) => AtomicFile.WriteAllText(Path.Combine(outDir, FileName), JsonSerializer.Serialize(this) + "\n");

    /// <summary>The run's state was dropped: nothing on the cluster is left to this --out.</summary>
    public static void Delete(string outDir) => File.Delete(Path.Combine(outDir, FileName));
}
