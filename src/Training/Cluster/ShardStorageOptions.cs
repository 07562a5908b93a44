using System.ComponentModel.DataAnnotations;

namespace InverseLearning.Training.Cluster;

/// <summary>Where a silo's shards snapshot themselves: a folder every silo of the cluster can reach (one machine's disk, or a shared volume).</summary>
public sealed class ShardStorageOptions
{
    [Required(ErrorMessage = "--state: give the folder where shards snapshot themselves")]
    public string Directory { get; set; } = "";

    /// <summary>
    /// The folder <paramref name="directory"/> made if missing, as a full path: the checks of a verb's --out (empty, a file,
    /// below a file, a dangling link, not writable: one line naming --state), made before the silo joins its cluster.
    /// </summary>
    public static string Prepare(string directory) => Path.GetFullPath(Cli.OutputFolder.Prepare(directory, "--state"));

    /// <summary>The snapshot of the shard with grain key <paramref name="key"/> ("run/shard").</summary>
    public string ShardPath(string key) => PathOf("shard", key, "bin");

    /// <summary>The lease file beside <see cref="ShardPath"/> that the shard's live activation holds (<see cref="ShardLease"/>).</summary>
    public string LeasePath(string key) => PathOf("shard", key, "lease");

    /// <summary>The saved state of the run coordination with grain key <paramref name="key"/> (the run's name).</summary>
    public string RunPath(string key) => PathOf("run", key, "json");

    // One file per key, named from its characters that are safe in a path.
    private string PathOf(string kind, string key, string extension)
    {
        var safe = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '.').ToArray());
        return Path.Combine(Directory, $"{kind}.{safe}.{extension}");
    }
}
