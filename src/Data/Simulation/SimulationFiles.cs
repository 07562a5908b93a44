namespace InverseLearning.Data.Simulation;

/// <summary>
/// Where a simulation goes on disk: DIR/interactions.parquet beside the ground truth
/// (truth.parquet, truth-model.bin). The three files are one set: they are written into a
/// staging folder beside DIR, which then replaces DIR by two renames, so a datagen killed at
/// any point leaves either the old set, the new set, or (between the renames) DIR missing with
/// both sets beside it, hidden, until the next datagen into DIR clears them — never a new truth next to an old log.
/// </summary>
public static class SimulationFiles
{
    public const string InteractionsFileName = "interactions.parquet";

    /// <param name="cancel">Checked between the files and once the set is written, before it replaces DIR: a cancelled write leaves DIR as it was.</param>
    public static void Write(SimulationResult r, string dir, CancellationToken cancel = default) => Write(r, dir, _ => { }, cancel);

    /// <param name="afterFile">Called with each file's name once it is written into the staging folder (tests interrupt the write here).</param>
    internal static void Write(SimulationResult r, string dir, Action<string> afterFile, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(r);
        Replace(dir, staging =>
        {
            r.Truth.Save(staging);
            afterFile(GroundTruth.ImpressionsFileName);
            cancel.ThrowIfCancellationRequested(); // before the log's write, the longest
            InteractionLogParquet.Write(r.Log, Path.Combine(staging, InteractionsFileName), metadata: SimulationStamp.Metadata(r.Truth.Stamp));
            afterFile(InteractionsFileName);
            return 0;
        }, cancel);
    }

    /// <summary>
    /// Writes a simulation's set with <paramref name="writeInto"/> into a staging folder beside <paramref name="dir"/>, then puts
    /// it in DIR's place by two renames: whatever DIR held before (a plain or a partitioned set) goes whole. Both datagen layouts
    /// write through here, so one never leaves the other's log beside its truth.
    /// </summary>
    public static T Replace<T>(string dir, Func<string, T> writeInto, CancellationToken cancel = default)
    {
        var target = Path.TrimEndingDirectorySeparator(RealPath.Of(dir)); // a link to the folder: its target is what is replaced
        RefuseForeignFiles(dir);
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        // What writes killed mid-way left: a staging folder, or an old set (whole after a kill between the two renames,
        // partial after one while deleting it). This write replaces DIR, so neither is wanted any more.
        AtomicFile.RemoveOrphanedFolders(parent, $".{Path.GetFileName(target)}.", ".staging");
        AtomicFile.RemoveOrphanedFolders(parent, $".{Path.GetFileName(target)}.", ".old");
        var tag = AtomicFile.OwnerTag(); // this machine and process: another machine's staging on a shared volume is left to it
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{tag}.staging");
        var old = Path.Combine(parent, $".{Path.GetFileName(target)}.{tag}.old");
        T written;
        try
        {
            Directory.CreateDirectory(staging);
            written = Written(dir, () => writeInto(staging));
            cancel.ThrowIfCancellationRequested(); // the last point at which stopping leaves DIR as it was
            if (Directory.Exists(target)) Directory.Move(target, old);
            Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        return written;
    }

    /// <summary>
    /// Runs the write into the staging folder; a failure of the disk (full, gone) is told as DIR's, in .NET's words but without
    /// the path they end with, a hidden staging file the user never named.
    /// </summary>
    private static T Written<T>(string dir, Func<T> write)
    {
        try
        {
            return write();
        }
        catch (IOException e)
        {
            throw new IOException($"{dir}: the simulation could not be written ({DiskFailure.Reason(e)}); {dir} is left as it was", e);
        }
    }

    /// <summary>
    /// The whole folder is replaced, so it may hold only a previous simulation, judged by its files' stamps, not their names
    /// (<see cref="SimulationFolderContents"/>), and stray temporary files; and it is
    /// replaced by renames, so it must be on its parent's file system (not a mount point); datagen checks this before simulating too.
    /// </summary>
    public static void RefuseForeignFiles(string dir)
    {
        var target = Path.TrimEndingDirectorySeparator(RealPath.Of(dir)); // a link to the folder: its target is what is replaced
        if (!Directory.Exists(target)) return;
        if (!OnParentsFileSystem(target))
            throw new IOException($"{target} is a mount point (another file system than its parent's): datagen writes beside the folder and renames it into place, " +
                "which cannot cross file systems; give a folder inside it");
        // A partitioned datagen killed mid-write left its staging folder here: not foreign, and no longer anyone's.
        AtomicFile.RemoveOrphanedFolders(target, PartitionedSimulationFiles.StagingPrefix, PartitionedSimulationFiles.StagingSuffix);
        var foreign = SimulationFolderContents.Foreign(target).Take(3).ToList();
        if (foreign.Count > 0)
            throw new IOException($"{target} holds files datagen did not write ({string.Join(", ", foreign)}); datagen replaces its whole output folder, so give it an empty or new folder, or one it wrote before.");
    }

    /// <summary>Whether an existing folder is on the same device as its parent; true where the system cannot tell.</summary>
    internal static bool OnParentsFileSystem(string folder) =>
        Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder)) is not { } parent
        || FileIdentity.Of(folder) is not { } own || FileIdentity.Of(parent) is not { } above || own.Device == above.Device;
}
