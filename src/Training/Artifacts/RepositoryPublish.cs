using System.Text.Json.Nodes;
using InverseLearning.Data;
using InverseLearning.Serving.Models.Repository;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// `export --repository`'s publish. The new version is written whole before older ones are pruned, so a repository needs room
/// for one more version than --keep-versions keeps: a volume sized for exactly that many failed every publish once it was full,
/// and pruning never ran. A full disk's failure says so, with what the versions there take.
/// </summary>
public static class RepositoryPublish
{
    /// <summary>Publishes a version (<see cref="ModelRepository.Publish"/>) into <paramref name="repository"/>, to be pruned to <paramref name="keepVersions"/> (0: none pruned).</summary>
    public static int Run(string repository, Action<string> writeFiles, JsonObject metrics, int keepVersions)
    {
        try
        {
            return ModelRepository.Publish(repository, writeFiles, metrics);
        }
        catch (IOException e) when (DiskFailure.IsFull(e))
        {
            throw new IOException($"{e.Message}; {Room(repository, keepVersions)}", e);
        }
    }

    private static string Room(string repository, int keepVersions)
    {
        var versions = ModelRepository.Versions(repository);
        if (versions.Count == 0) return "it holds no version yet: its volume is smaller than one version";
        var taken = versions.Sum(version => Directory.EnumerateFiles(ModelRepository.VersionDirectory(repository, version), "*", SearchOption.AllDirectories)
            .Sum(file => new FileInfo(file).Length));
        var there = $"the {Counted.Of(versions.Count, "version")} there {(versions.Count == 1 ? "takes" : "take")} {ByteSize.Format(taken)}";
        var oldest = ModelRepository.VersionDirectory(repository, versions[0]);
        return keepVersions > 0
            ? $"the repository needs room for one more version than --keep-versions {keepVersions} keeps (the new one is written before old ones are pruned), " +
              $"{keepVersions + 1} in all, and {there}: make its volume larger, or delete the oldest version ({oldest}) and publish again"
            : $"{there}: delete old versions ({oldest} is the oldest), or publish with --keep-versions N on a volume with room for N + 1 versions";
    }
}
