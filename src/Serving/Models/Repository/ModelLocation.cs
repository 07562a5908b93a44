using InverseLearning.Data;
using InverseLearning.Serving.Models.Contract;

namespace InverseLearning.Serving.Models.Repository;

/// <summary>
/// One model the server could load: the model file, the seen list that belongs with it, and
/// (for a repository version) the manifest both are checked against. <see cref="Stamp"/> tells
/// it from the next one without reading it.
/// </summary>
public sealed record ModelLocation(string ModelPath, string SeenPath, string? ManifestPath, int? BundleVersion, string Stamp)
{
    /// <summary>
    /// A --model is told apart by its file's stamp and its seen list's: a seen list refused beside the model (another export's) and
    /// then replaced by the right one is a new one to try. No model file, no stamp (empty): there is nothing to load.
    /// </summary>
    public static ModelLocation ForFile(string modelPath)
    {
        var path = Path.GetFullPath(modelPath);
        var seen = Path.Combine(Path.GetDirectoryName(path)!, ModelContract.SeenFileName);
        return new ModelLocation(path, seen, null, null, StampOf(path) is { } model ? $"{model}, {StampOf(seen) ?? "absent"}" : "");
    }

    /// <summary>
    /// A version is told apart by its number and its files' stamps: a version first seen incomplete (copied by hand, in
    /// whatever order) or published again under the same number (a repository emptied and refilled) is a new one to try.
    /// </summary>
    public static ModelLocation ForVersion(string repository, int version)
    {
        var directory = ModelRepository.VersionDirectory(Path.GetFullPath(repository), version);
        string[] files = [Path.Combine(directory, BundleManifest.FileName), Path.Combine(directory, ModelContract.ModelFileName), Path.Combine(directory, ModelContract.SeenFileName)];
        return new ModelLocation(files[1], files[2], files[0], version, $"version {version}: {string.Join(", ", files.Select(f => StampOf(f) ?? "absent"))}");
    }

    private static string? StampOf(string path) =>
        FileStamp.Of(path) is { } stamp ? $"{stamp.RealPath}:{stamp.LastWriteUtc.Ticks}:{stamp.Length}:{(int)stamp.Mode}" : null;
}
