using System.Text.Json;
using System.Text.Json.Nodes;
using InverseLearning.Serving.Models.Loading;

namespace InverseLearning.Serving.Models.Repository;

/// <summary>
/// `manifest.json` of one model version: its number, when it was made, the SHA-256 and size
/// of every file in it, and the metrics summary. Written last into the staging folder, so a
/// version directory with a manifest is a complete one; the server checks the files against it.
/// </summary>
public sealed record BundleManifest(int Version, DateTime CreatedAt, IReadOnlyDictionary<string, FileDigest> Files, JsonObject Metrics)
{
    public const string FileName = "manifest.json";
    private const int Format = 1;

    /// <summary>
    /// The longest manifest read: one lists a few files and a metrics summary (a few KB), and it is read whole, so a longer one
    /// (a padded string of hundreds of MB) is refused by its length before it costs every replica that much memory.
    /// </summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>A key given twice is refused: which of the two counts would be the reader's guess, and JsonObject throws on it later.</summary>
    private static readonly JsonDocumentOptions NoRepeatedKeys = new() { AllowDuplicateProperties = false };

    /// <summary>Describes every file already in <paramref name="directory"/> (the manifest itself excepted).</summary>
    public static BundleManifest Describe(string directory, int version, JsonObject metrics)
    {
        var files = Directory.EnumerateFiles(directory)
            .Where(path => Path.GetFileName(path) != FileName)
            .OrderBy(path => path, StringComparer.Ordinal)
            .ToDictionary(path => Path.GetFileName(path), path => FileDigest.Of(File.ReadAllBytes(path)));
        return new BundleManifest(version, DateTime.UtcNow, files, metrics);
    }

    public string ToJson()
    {
        var files = new JsonObject();
        foreach (var (name, digest) in Files)
            files[name] = new JsonObject { ["sha256"] = digest.Sha256, ["bytes"] = digest.Bytes };
        var root = new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["created_at"] = CreatedAt.ToString("O"),
            ["files"] = files,
            ["metrics"] = Metrics.DeepClone(),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads a manifest; anything malformed is a <see cref="ModelLoadException"/> naming the file and the field.</summary>
    public static BundleManifest Read(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: NoRepeatedKeys) as JsonObject ?? throw new ModelLoadException($"{path}: not a JSON object");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"{path}: cannot read the manifest ({e.Message})", e);
        }
        try
        {
            if ((int?)root["format"] != Format) throw new ModelLoadException($"{path}: 'format' is {root["format"]?.ToJsonString() ?? "missing"}, expected {Format}");
            var version = (int?)root["version"] ?? throw new ModelLoadException($"{path}: 'version' is missing");
            var created = DateTime.Parse((string?)root["created_at"] ?? throw new ModelLoadException($"{path}: 'created_at' is missing"),
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
            var files = (root["files"] as JsonObject ?? throw new ModelLoadException($"{path}: 'files' is missing"))
                .ToDictionary(p => p.Key, p => new FileDigest(
                    (string?)p.Value?["sha256"] ?? throw new ModelLoadException($"{path}: files.{p.Key}.sha256 is missing"),
                    (long?)p.Value?["bytes"] ?? throw new ModelLoadException($"{path}: files.{p.Key}.bytes is missing")));
            return new BundleManifest(version, created, files, root["metrics"] as JsonObject ?? []);
        }
        // A value of the wrong kind (a string for a number) or out of range; ArgumentException for any key JsonObject still
        // refuses (a repeated one, if the parse let it through).
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            throw new ModelLoadException($"{path}: malformed manifest ({e.Message})", e);
        }
    }

    /// <summary>
    /// Checks a file's length against the manifest before it is read: a file of another size is not this version's, and one
    /// of any size would otherwise be read whole first. A file the manifest does not list is left to <see cref="Verify"/>.
    /// </summary>
    public void RequireLength(string directory, string name, long bytes)
    {
        if (!Files.TryGetValue(name, out var expected) || expected.Bytes == bytes) return;
        var path = Path.Combine(directory, name);
        var said = $"{path}: is {bytes:N0} bytes, but the manifest says {expected.Bytes:N0} bytes; not read";
        // Shorter, it may be a copy still being written: the model host waits for one that is still changing.
        throw bytes < expected.Bytes ? new IncompleteVersionException(said, $"{path} is {bytes:N0} of the {expected.Bytes:N0} bytes its manifest says") : new ModelLoadException(said);
    }

    /// <summary>Checks one file's bytes against the manifest; a mismatch names the file and both digests.</summary>
    public void Verify(string directory, string name, ReadOnlySpan<byte> bytes)
    {
        if (!Files.TryGetValue(name, out var expected))
            throw new ModelLoadException($"{Path.Combine(directory, FileName)}: lists no '{name}'");
        var actual = FileDigest.Of(bytes);
        if (actual != expected)
            throw new ModelLoadException($"{Path.Combine(directory, name)}: is {actual.Bytes} bytes with SHA-256 {actual.Sha256}, but the manifest says {expected.Bytes} bytes with {expected.Sha256}");
    }
}
