using System.Globalization;
using System.Text;
using InverseLearning.Data;
using InverseLearning.Serving.Models.Repository;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// Writes an exported model into an NVIDIA Triton model repository for its ONNX Runtime backend:
/// <c>DIR/NAME/VERSION/model.onnx</c> (VERSION one past the largest numbered version there) and
/// <c>DIR/NAME/config.pbtxt</c>. Triton batches along the first dimension, so each per-pair
/// tensor ([N] in the graph) is declared with dims [1] reshaped to [] — a request is one or more
/// (user, item) pairs, dynamic batching joins requests into one run. The catalogue output has no
/// batch dimension and is left out of the config (Triton then does not return it).
/// </summary>
public static class TritonRepository
{
    public const string ConfigFile = "config.pbtxt";

    /// <summary>
    /// The version a publish wrote, whether the model's config.pbtxt already there was kept, being another than the one it writes,
    /// and whether one there was replaced for being empty (a file truncated to nothing, which Triton cannot load).
    /// </summary>
    public readonly record struct Published(int Version, bool ConfigKept, bool EmptyConfigReplaced = false);

    /// <summary>
    /// Writes <paramref name="model"/> as the next version of <paramref name="name"/> in <paramref name="repository"/>, and the model's config
    /// unless one that differs is there: an operator's edits (instance groups, a version policy) are theirs to keep.
    /// </summary>
    public static Published Publish(string repository, string name, byte[] model, int maxBatchSize, int maxQueueDelayMicroseconds)
    {
        Check(name, maxBatchSize, repository);
        var modelFolder = Path.Combine(repository, name);
        Directory.CreateDirectory(modelFolder);
        var config = Path.Combine(modelFolder, ConfigFile);
        AtomicFile.RemoveOrphanedFolders(modelFolder, StagingPrefix, "");
        // Written before the version is renamed into place: Triton polling the repository never finds a version without its config.
        var wanted = Encoding.UTF8.GetBytes(Config(name, maxBatchSize, maxQueueDelayMicroseconds));
        var made = !File.Exists(config);
        var empty = !made && IsEmpty(config);
        var kept = !made && !empty && !SameBytes(config, wanted);
        if (!kept) AtomicFile.WriteAllBytes(config, wanted);
        // Triton loads the largest numbered folder: a kill never leaves a numbered folder without its model, and two publishers never write into one number.
        var staging = Path.Combine(modelFolder, StagingPrefix + AtomicFile.OwnerTag());
        try
        {
            var version = NumberedFolder.Publish(modelFolder, staging, folder => WriteModel(folder, model, modelFolder),
                "publish under another --triton-name or into a new repository");
            return new Published(version, kept, empty);
        }
        catch when (made)
        {
            // A refused publish (no number left, a full disk) leaves the model's folder as it found it.
            File.Delete(config);
            throw;
        }
    }

    /// <summary>
    /// Refuses a folder that Triton reads as a version newer than any numbered one here, though its name is no version's
    /// (<c>+7</c>, <c>12abc</c>, <c> 9</c>): Triton would make it the model's latest, look for it under its number's own name
    /// (<c>7/</c>), and serve neither it nor the version published beside it.
    /// </summary>
    private static void RefuseFoldersTritonServesInstead(string modelFolder)
    {
        var newest = NumberedFolder.Versions(modelFolder) is [.., var last] ? last : 0;
        foreach (var folder in Directory.EnumerateDirectories(modelFolder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (TritonVersion(name) is { } version && version > newest && version.ToString(CultureInfo.InvariantCulture) != name)
                throw new IOException($"{folder}: Triton reads this folder's name as version {version}, newer than every version here, and would serve it " +
                    "instead of the version this export publishes; rename it (a version's folder is named by its number alone) or remove it");
        }
    }

    /// <summary>
    /// The version Triton reads a folder's name as (C's <c>stoll</c>: leading white space, a sign, then digits, whatever follows
    /// them ignored; a name of two or more characters starting with <c>0</c> is skipped), or null where it reads none.
    /// A number past 64 bits, which Triton cannot read either, is read as <see cref="long.MaxValue"/>: newer than any version.
    /// </summary>
    public static long? TritonVersion(string name)
    {
        if (name.Length > 1 && name[0] == '0') return null;
        var at = 0;
        while (at < name.Length && name[at] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') at++;
        var negative = at < name.Length && name[at] == '-';
        if (at < name.Length && name[at] is '+' or '-') at++;
        var digitsStart = at;
        while (at < name.Length && char.IsAsciiDigit(name[at])) at++;
        if (at == digitsStart) return null;
        var digits = name[digitsStart..at];
        var magnitude = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var read) ? read : long.MaxValue;
        return negative ? -magnitude : magnitude;
    }

    // White space alone is as empty: it configures nothing.
    private static bool IsEmpty(string config) => new FileInfo(config).Length == 0 || File.ReadAllText(config).All(char.IsWhiteSpace);

    /// <summary>
    /// Refuses a config kept as an operator's that is not text proto (cut short by a full disk or a killed copy): Triton cannot load the
    /// model under it, and export would have kept it as "edited by hand".
    /// </summary>
    private static void RequireLoadable(string config)
    {
        try
        {
            TextProto.Parse(File.ReadAllText(config));
        }
        catch (FormatException e)
        {
            throw new IOException($"{config} is not a config Triton can load ({e.Message}); fix it, or remove it to have export write its own");
        }
    }

    // Compared by length first: a config of another size (however large) is not read.
    private static bool SameBytes(string file, byte[] bytes) => new FileInfo(file).Length == bytes.Length && File.ReadAllBytes(file).AsSpan().SequenceEqual(bytes);

    /// <summary>Writes the model into the staging folder; the disk's failure is told of the model's folder named, not of the hidden staging folder (removed on failure).</summary>
    private static void WriteModel(string staging, byte[] model, string modelFolder)
    {
        try
        {
            AtomicFile.WriteAllBytes(Path.Combine(staging, InferenceModel.FileName), model);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            throw new IOException($"--triton {modelFolder}: the new version could not be written ({DiskFailure.Reason(e)}); no version was added", e);
        }
    }

    private const string StagingPrefix = ".staging.";

    /// <summary>The most pairs --triton-max-batch lets Triton join into one run.</summary>
    public const int MaxBatchSize = 1_000_000;

    /// <summary>
    /// Refuses a name that is not a plain folder name (it is also written, quoted, into config.pbtxt, which a quote or a line
    /// break would break), or a batch size outside [1, 1,000,000], naming the flag (checked before any work).
    /// </summary>
    public static void Check(string name, int maxBatchSize, string repository)
    {
        // A leading dot would hide the model's folder (and ".." leave the repository).
        if (name.Length == 0 || name[0] == '.' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw new ArgumentException($"--triton-name must be a folder name of ASCII letters (A-Z, a-z), digits (0-9), '_', '-' and '.', not starting with '.', got '{name}'");
        if (maxBatchSize is < 1 or > MaxBatchSize) throw new ArgumentException($"--triton-max-batch must be from 1 to {MaxBatchSize:N0}, got {maxBatchSize:N0}");
        // Checked before any work, and before a version is published: one visible beside no config is what a late refusal would leave.
        var modelFolder = Path.Combine(repository, name);
        if (File.Exists(modelFolder))
            throw new IOException($"--triton {repository}: {modelFolder} is a file, where the model's folder goes; remove it or give another --triton-name");
        var config = Path.Combine(modelFolder, ConfigFile);
        if (Directory.Exists(config)) throw new IOException($"{config} is a folder; expected the model's config file (remove it)");
        if (File.Exists(config) && !IsEmpty(config)) RequireLoadable(config);
        if (Directory.Exists(modelFolder)) RefuseFoldersTritonServesInstead(modelFolder);
    }

    /// <summary>The model's config: its per-pair inputs and outputs (as InferenceModel names them), batched by Triton.</summary>
    public static string Config(string name, int maxBatchSize, int maxQueueDelayMicroseconds)
    {
        static string Tensor(string tensor, string type) =>
            $"  {{\n    name: \"{tensor}\"\n    data_type: {type}\n    dims: [ 1 ]\n    reshape: {{ shape: [ ] }}\n  }}";
        var config = new StringBuilder();
        config.Append(CultureInfo.InvariantCulture, $"name: \"{name}\"\nbackend: \"onnxruntime\"\nmax_batch_size: {maxBatchSize}\n");
        config.Append("input [\n").AppendJoin(",\n", [Tensor(InferenceModel.UserId, "TYPE_INT64"), Tensor(InferenceModel.ItemId, "TYPE_INT64")]).Append("\n]\n");
        config.Append("output [\n").AppendJoin(",\n",
            [Tensor(InferenceModel.Score, "TYPE_FP32"), Tensor(InferenceModel.UserKnown, "TYPE_BOOL"), Tensor(InferenceModel.ItemKnown, "TYPE_BOOL")]).Append("\n]\n");
        config.Append(CultureInfo.InvariantCulture, $"dynamic_batching {{\n  max_queue_delay_microseconds: {maxQueueDelayMicroseconds}\n}}\n");
        return config.ToString();
    }
}
