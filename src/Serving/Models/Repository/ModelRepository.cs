using System.Globalization;
using System.Text.Json.Nodes;
using InverseLearning.Data;

namespace InverseLearning.Serving.Models.Repository;

/// <summary>
/// A model repository laid out as TF Serving and Triton do: REPO/1/, REPO/2/, … each one
/// complete model version (model.onnx, seen.parquet, manifest.json). A version is written
/// whole in a hidden staging folder inside REPO and made visible by one directory rename,
/// so a reader never sees a half-written version, nor a model beside another version's files.
/// </summary>
public static class ModelRepository
{
    private const string StagingPrefix = ".staging-", RetiringPrefix = ".retiring-";

    /// <summary>The version numbers present, oldest first (hidden and non-numeric folders, and files, are not versions).</summary>
    public static IReadOnlyList<int> Versions(string repository) => NumberedFolder.Versions(repository);

    public static string VersionDirectory(string repository, int version) =>
        Path.Combine(repository, version.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Writes a new version: <paramref name="writeFiles"/> fills a staging folder, the manifest
    /// (checksums, <paramref name="metrics"/>) goes in last, then one rename publishes it as the
    /// next number. Returns that number. A concurrent publisher that took the number first
    /// makes this one take the next.
    /// </summary>
    public static int Publish(string repository, Action<string> writeFiles, JsonObject metrics)
    {
        Directory.CreateDirectory(repository);
        RemoveOrphans(repository);
        var staging = Path.Combine(repository, StagingPrefix + OwnedName());
        return NumberedFolder.Publish(repository, staging, folder => Writing(repository, () => writeFiles(folder)), "publish into a new repository",
            (folder, version) => Writing(repository, () => WriteManifest(folder, BundleManifest.Describe(folder, version, metrics))));
    }

    /// <summary>
    /// A hidden folder's name after its prefix: this machine and process, by which <see cref="RemoveOrphans"/> tells one left by
    /// a process that no longer runs. The host too: on a volume shared between machines (pods), a process id alone names no process.
    /// </summary>
    private static string OwnedName() => $"{ProcessLiveness.HostTag}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Runs a write into the staging folder; the disk's failure is told of the repository named, not of the hidden staging folder (removed on failure).</summary>
    private static void Writing(string repository, Action write)
    {
        try
        {
            write();
        }
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            throw new IOException($"{repository}: the new version could not be written ({DiskFailure.Reason(e)}); the repository is left as it was", e);
        }
    }

    private static void WriteManifest(string folder, BundleManifest manifest)
    {
        using var stream = new FileStream(Path.Combine(folder, BundleManifest.FileName), FileMode.Create, FileAccess.Write);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(manifest.ToJson()));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Deletes all but the <paramref name="keep"/> newest versions, never <paramref name="protect"/>
    /// (the one being served). Each is first renamed out of sight, so no reader finds it half-deleted.
    /// Returns the versions removed, and those that could not be, with why. Folders a killed pruner or publisher left are removed
    /// first: a server that only prunes (never publishes) would otherwise keep a killed one's half-deleted version for good.
    /// </summary>
    public static PruneOutcome Prune(string repository, int keep, int? protect = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        RemoveOrphans(repository);
        var versions = Versions(repository);
        var removed = new List<int>();
        var stuck = new List<int>();
        Exception? cause = null;
        foreach (var version in versions.Take(Math.Max(0, versions.Count - keep)))
        {
            if (version == protect) continue;
            var retiring = Path.Combine(repository, RetiringPrefix + OwnedName());
            try
            {
                Directory.Move(VersionDirectory(repository, version), retiring);
                DeleteEntry(retiring);
                removed.Add(version);
            }
            catch (DirectoryNotFoundException)
            {
                // Another pruner got there first.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A read-only volume, or a folder not ours to delete: left, and told, or --keep-versions would silently keep all.
                stuck.Add(version);
                cause ??= e;
            }
        }
        return new PruneOutcome(removed, stuck, cause);
    }

    /// <summary>
    /// Staging and retiring folders left by a process that no longer runs (killed mid-publish or mid-prune). One a running
    /// process, or another machine's, may still be filling or deleting is left to it, and so is any hidden folder not named as
    /// this class names its own (<see cref="Writer"/>): an operator's `.staging-p` or `.staging-20261207`, mid-copy, was taken
    /// for a dead writer's and deleted under the copy.
    /// </summary>
    private static void RemoveOrphans(string repository)
    {
        // Entries, not folders alone: a version that was a link, retired after the folder it led to, is a link to nothing.
        foreach (var folder in Directory.EnumerateFileSystemEntries(repository))
        {
            var name = Path.GetFileName(folder);
            var prefix = name.StartsWith(RetiringPrefix, StringComparison.Ordinal) ? RetiringPrefix : name.StartsWith(StagingPrefix, StringComparison.Ordinal) ? StagingPrefix : null;
            if (prefix is null || Writer(name[prefix.Length..]) is not { } writer) continue;
            // A retiring folder named before they named their pruner (VERSION-GUID) is judged as all were then: an orphan.
            if (!(prefix == RetiringPrefix && writer.Host is null) && ProcessLiveness.MayStillBeWriting(writer.Host, writer.Id)) continue;
            try
            {
                DeleteEntry(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else is cleaning it up.
            }
        }
    }

    /// <summary>
    /// Deletes a retired version: a folder with all it holds, or a version that was a link, the link alone (what it led to is not the
    /// repository's, and may be gone already: a link to another version retired first).
    /// </summary>
    private static void DeleteEntry(string path)
    {
        if (new FileInfo(path).LinkTarget is not null) File.Delete(path);
        else Directory.Delete(path, recursive: true);
    }

    /// <summary>
    /// A hidden folder's writer, from its name after the prefix as <see cref="OwnedName"/> gives it (HOST-PID-GUID), or as it was
    /// given before the host was named (PID-GUID; VERSION-GUID for a retiring folder, whose number is then no process): the host
    /// (null in the older names) and the number. Null for any other name: not this class's folder, so never its to remove.
    /// </summary>
    private static (string? Host, int Id)? Writer(string owned)
    {
        var parts = owned.Split('-');
        if (parts.Length is not (2 or 3) || parts[^1].Length != 32 || !parts[^1].All(char.IsAsciiHexDigitLower)) return null;
        var host = parts.Length == 3 ? parts[0] : null;
        if (host is { Length: 0 or > 63 } || (host is not null && !host.All(char.IsAsciiLetterOrDigit))) return null;
        return int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? (host, id) : null;
    }
}
