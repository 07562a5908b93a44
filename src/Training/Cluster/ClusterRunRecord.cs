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
        // Read field by field: the serializer's refusals (a repeated key, a string for a count) name no field, or escape as
        // an ArgumentException, and a missing field would be left its default, refused as a value (Shards 0) the file never held.
        Dictionary<string, JsonElement> fields = new(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: {expected}; {deleteIt}");
            foreach (var field in document.RootElement.EnumerateObject())
                if (!fields.TryAdd(field.Name, field.Value.Clone()))
                    throw new InvalidDataException($"{path}: the field {field.Name} is given more than once; {expected}; {deleteIt}");
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"{path}: {expected}; {deleteIt}");
        }
        JsonElement Field(string name) => fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value
            : throw new InvalidDataException($"{path}: the field {name} is missing (or null); {expected}; {deleteIt}");
        var (run, shards) = (Field(nameof(Run)), Field(nameof(Shards)));
        // The ranges of --run and --shards, checked before the takeover makes a call per shard: an edited count of 100,000,000 would allocate for minutes, silently.
        if (run.ValueKind != JsonValueKind.String || !ClusterSettings.IsRunName(run.GetString()))
            throw new InvalidDataException($"{path}: Run {(run.ValueKind == JsonValueKind.String ? $"'{run.GetString()}'" : run.GetRawText())}, " +
                $"expected a string of {ClusterSettings.RunNameRule} (a --run); {deleteIt}");
        var count = 0;
        var isCount = shards.ValueKind == JsonValueKind.Number && shards.TryGetInt32(out count);
        if (!isCount || count is < 1 or > ClusterSettings.MaxShards)
            throw new InvalidDataException($"{path}: Shards {(isCount ? count.ToString("N0") : shards.GetRawText())}, " +
                $"expected a whole number from 1 to {ClusterSettings.MaxShards:N0} (a --shards); {deleteIt}");
        return new ClusterRunRecord(run.GetString()!, count);
    }

    public void Save(string outDir) => AtomicFile.WriteAllText(Path.Combine(outDir, FileName), JsonSerializer.Serialize(this) + "\n");

    /// <summary>The run's state was dropped: nothing on the cluster is left to this --out.</summary>
    public static void Delete(string outDir) => File.Delete(Path.Combine(outDir, FileName));
}
