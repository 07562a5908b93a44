using System.ComponentModel.DataAnnotations;

namespace InverseLearning.Training.Cluster;

/// <summary>Where a silo's shards snapshot themselves: a folder every silo of the cluster can reach (one machine's disk, or a shared volume).</summary>
public sealed class ShardStorageOptions
{
    [Required(ErrorMessage = "--state: give the folder where shards snapshot themselves")]
    public string Directory { get; set; } = "";

    /// <summary>The snapshot of the shard with grain key <paramref name="key"/> ("run/shard"): one file per key, named from its characters that are safe in a path.</summary>
    public string PathOf(string key)
    {
        var safe = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '.').ToArray());
        return Path.Combine(Directory, $"shard.{safe}.bin");
    }
}
