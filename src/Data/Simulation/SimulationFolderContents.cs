using System.Text;
using Parquet;

namespace InverseLearning.Data.Simulation;

/// <summary>
/// The files datagen did not write in a folder it is about to replace whole. The names alone do not tell (an imported log is
/// an interactions.parquet too), so every file the replace would delete is judged by its content: the log's parts must carry
/// the <see cref="SimulationStamp"/> truth.parquet carries in its footer, as must truth-model.bin in its header,
/// and a lake may hold nothing but stamped part files. Links are never datagen's: it writes none.
/// </summary>
internal static class SimulationFolderContents
{
    /// <summary>
    /// The entries of <paramref name="folder"/> (paths relative to it, each with why, where the name alone does not say)
    /// that are not a previous simulation's set, the lock every verb takes (datagen holds it before it looks: one another run holds
    /// refused it already), or a temporary file; in ordinal order.
    /// </summary>
    public static IEnumerable<string> Foreign(string folder)
    {
        var own = new OwnSimulation(StampOf(Path.Combine(folder, GroundTruth.ImpressionsFileName)));
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (IsLink(entry))
            {
                yield return $"{name} (a link)";
                continue;
            }
            if (Directory.Exists(entry))
            {
                if (name == PartitionedSimulationFiles.DirectoryName)
                    foreach (var inLake in ForeignInLake(entry, name, own))
                        yield return inLake;
                // A staging folder still here is a running datagen's (the orphans were removed before), however empty.
                else if (HoldsFiles(entry) || name.StartsWith(PartitionedSimulationFiles.StagingPrefix, StringComparison.Ordinal) && name.EndsWith(PartitionedSimulationFiles.StagingSuffix, StringComparison.Ordinal))
                    yield return $"{name}/";
                continue;
            }
            // A lock or an atomic write's temporary file: what a verb refused, cancelled or killed leaves, no user's file (a user's
            // thesis.tmp is one, and is refused as any other).
            if (name == ".lock" || AtomicFile.IsTemporaryName(name)) continue;
            if (name is SimulationFiles.InteractionsFileName or GroundTruth.ImpressionsFileName)
            {
                if (own.Disowns(entry, name) is { } why) yield return why;
            }
            else if (name == GroundTruth.ModelFileName)
            {
                if (own.DisownsModel(entry, name) is { } why) yield return why;
            }
            else
            {
                yield return name;
            }
        }
    }

    /// <summary>The files and links below a lake datagen did not write: anything but a Parquet part of the folder's simulation.</summary>
    private static IEnumerable<string> ForeignInLake(string lake, string relative, OwnSimulation own)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(lake).Order(StringComparer.Ordinal))
        {
            var path = $"{relative}/{Path.GetFileName(entry)}";
            if (IsLink(entry))
                yield return $"{path} (a link)";
            else if (Directory.Exists(entry))
                foreach (var below in ForeignInLake(entry, path, own))
                    yield return below;
            else if (!entry.EndsWith(".parquet", StringComparison.Ordinal))
                yield return path;
            else if (own.Disowns(entry, path) is { } why)
                yield return why;
        }
    }

    /// <summary>
    /// The simulation a folder holds: its truth.parquet's stamp. A file of any other simulation, or of none, is not the folder's own;
    /// without a stamped truth.parquet no file is, as datagen always writes one with its set: a lake whose truth was removed may be
    /// another simulation's only copy of its log.
    /// </summary>
    private sealed class OwnSimulation(string? truthStamp)
    {
        /// <summary>Why the Parquet file at <paramref name="path"/> (named <paramref name="relative"/>) is not this simulation's; null when it is.</summary>
        public string? Disowns(string path, string relative) =>
            StampOf(path) is { } stamp ? Judge(stamp, relative) : $"{relative} (no simulation stamp in its footer: another tool's file, or an older datagen's)";

        /// <summary>Why the ground-truth model file at <paramref name="path"/> is not this simulation's (a copy of another's latent model); null when it is.</summary>
        public string? DisownsModel(string path, string relative)
        {
            string? stamp;
            try
            {
                stamp = LatentModelFile.StampOf(path);
            }
            catch (DataException)
            {
                return $"{relative} (not a ground-truth model file)";
            }
            // Not known to be datagen's either, but said as it is: a model file that cannot be read is no other kind of file.
            catch (UnauthorizedAccessException)
            {
                return $"{relative} (unreadable: this user may not read it)";
            }
            catch (IOException e)
            {
                return $"{relative} (unreadable: {e.Message.TrimEnd('.')})";
            }
            return stamp is null ? $"{relative} (no simulation stamp in its header: an older datagen's)" : Judge(stamp, relative);
        }

        private string? Judge(string stamp, string relative)
        {
            if (truthStamp is null)
                return $"{relative} (simulation {stamp}'s, and no {GroundTruth.ImpressionsFileName} of a simulation beside it says that is the folder's)";
            return stamp == truthStamp ? null : $"{relative} (another simulation's: stamp {stamp}, where {GroundTruth.ImpressionsFileName} has {truthStamp})";
        }
    }

    /// <summary>Whether any file or link lies below <paramref name="folder"/>: an empty one, however deep, holds nothing of anyone's.</summary>
    private static bool HoldsFiles(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Any(entry => IsLink(entry) || !Directory.Exists(entry) || HoldsFiles(entry));

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    /// <summary>The simulation stamp in a Parquet file's footer; null when it has none or is no readable Parquet file.</summary>
    private static string? StampOf(string path)
    {
        try
        {
            if (ParquetFooter.Problem(path) is not null) return null;
            return Synchronously.Run(async () =>
            {
                await using var stream = File.OpenRead(path);
                await using var reader = await ParquetReader.CreateAsync(stream);
                return SimulationStamp.In(reader.CustomMetadata);
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // unreadable: not a file datagen wrote whole, so not one to delete unasked
        }
    }
}
