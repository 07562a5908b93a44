using System.ComponentModel.DataAnnotations;

namespace InverseLearning.Training.Cluster;

/// <summary>Where a silo's shards snapshot themselves: a folder every silo of the cluster can reach (one machine's disk, or a shared volume).</summary>
public sealed class ShardStorageOptions
{
    [Required(ErrorMessage = "--state: give the folder where shards snapshot themselves")]
    public string Directory { get; set; } = "";

    /// <summary>The folder <paramref name="directory"/> made if missing, as a full path; one line naming --state when it cannot be (empty, too long, not writable).</summary>
    public static string Prepare(string directory)
    {
        var shown = directory.Length <= 60 ? directory : directory[..60] + "…";
        if (string.IsNullOrWhiteSpace(directory)) throw new ArgumentException($"--state: '{shown}' cannot be the shards' snapshot folder: it is empty; give a folder");
        if (File.Exists(directory)) throw new ArgumentException($"--state: '{shown}' cannot be the shards' snapshot folder: it is a file; give a folder (new or existing)");
        try
        {
            var folder = System.IO.Directory.CreateDirectory(Path.GetFullPath(directory)).FullName;
            // Tried now: a folder the silo cannot write fails the first training's snapshot, in a trainer's message about a hidden file.
            var probe = Path.Combine(folder, $".write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return folder;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or NotSupportedException)
        {
            var why = e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.');
            throw new ArgumentException($"--state: '{shown}' cannot be the shards' snapshot folder ({why}); give a folder this user may create and write", e);
        }
    }

    /// <summary>The snapshot of the shard with grain key <paramref name="key"/> ("run/shard").</summary>
    public string ShardPath(string key) => PathOf("shard", key, "bin");

    /// <summary>The saved state of the run coordination with grain key <paramref name="key"/> (the run's name).</summary>
    public string RunPath(string key) => PathOf("run", key, "json");

    // One file per key, named from its characters that are safe in a path.
    private string PathOf(string kind, string key, string extension)
    {
        var safe = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '.').ToArray());
        return Path.Combine(Directory, $"{kind}.{safe}.{extension}");
    }
}
