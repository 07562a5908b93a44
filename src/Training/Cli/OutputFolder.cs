using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// The folder a verb writes into (--out, --repository), checked and created before any work,
/// so that a bad path is one line naming the flag rather than a .NET message after the run.
/// A run's folder is also locked for the run, so that two runs never mix their files in it.
/// </summary>
public static class OutputFolder
{
    public const string LockFileName = ".lock";

    /// <summary>The most bytes a file or folder name may have (NAME_MAX of Linux's file systems).</summary>
    public const int MaxNameBytes = 255;

    /// <summary>The most bytes a whole path may have (Linux's PATH_MAX, 4096, less its terminating zero).</summary>
    public const int MaxPathBytes = 4095;

    /// <summary>
    /// Refuses, before any work, a <paramref name="path"/> (given by <paramref name="flag"/>) with a name longer than the file
    /// system allows or longer in all: .NET's own "The path '…' is too long" names neither the flag nor the limit.
    /// </summary>
    public static void RequireFitsFileSystem(string? path, string flag)
    {
        if (string.IsNullOrEmpty(path)) return;
        if (path.Split(Path.DirectorySeparatorChar).FirstOrDefault(name => System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes) is { } tooLong)
            throw new ArgumentException($"{flag}: the name '{tooLong[..40]}…' is {System.Text.Encoding.UTF8.GetByteCount(tooLong):N0} bytes long, " +
                $"more than a file or folder name may have ({MaxNameBytes} bytes); give a shorter {flag}");
        if (System.Text.Encoding.UTF8.GetByteCount(Path.GetFullPath(path)) is var bytes and > MaxPathBytes)
            throw new ArgumentException($"{flag}: the path is {bytes:N0} bytes long in full, more than a path may have ({MaxPathBytes:N0} bytes); give a shorter {flag}");
    }

    /// <summary>Creates <paramref name="path"/> (given by <paramref name="flag"/>) if needed; refuses an empty path, a file, or a folder that cannot be created.</summary>
    public static string Prepare(string? path, string flag)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException($"{flag} is empty; expected a folder to write into");
        if (BrokenLink.At(path) is { } target)
            throw new ArgumentException($"{flag} {path} is {target}; {(target.Loops ? "" : "make that folder, or ")}give another {flag}");
        if (File.Exists(path))
            throw new ArgumentException($"{flag} {path} is {FileOrLink(path)}; expected a folder (new or existing) to write into");
        if (FileAbove(path) is { } file)
            throw new ArgumentException($"{flag} {path}: {file} is {(BrokenLink.At(file) is { } above ? above.ToString() : FileOrLink(file))}, so no folder can be made below it");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"{flag} {path}: cannot create the folder ({e.Message})");
        }
        RequireWritable(path, flag);
        return path;
    }

    // A link is named with the file it leads to: "is a file" of a name the user knows as a folder's would puzzle.
    private static string FileOrLink(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } target ? $"a link to {target.FullName}, which is a file" : "a file";

    // Tried now, not found out after the work: a file made and removed again.
    private static void RequireWritable(string path, string flag)
    {
        var probe = Path.Combine(path, $".write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{flag} {path}: cannot write into it ({e.Message.Split('\n')[0]}); choose another {flag}");
        }
    }

    /// <summary>
    /// Refuses, before any work, a folder standing where <paramref name="writer"/> (a run, or an experiment) writes one of
    /// <paramref name="files"/> (it would fail only at the end).
    /// </summary>
    public static void RequireFileSlots(string path, string flag, IEnumerable<string> files, string writer = "the run")
    {
        foreach (var file in files)
            if (Directory.Exists(Path.Combine(path, file)))
                throw new ArgumentException($"{flag} {path}: {file} there is a folder, where {writer} writes a file; remove it or choose another {flag}");
    }

    /// <summary>
    /// Refuses, before any run trains, a run folder of the experiment in <paramref name="outputDirectory"/> (given by
    /// <paramref name="flag"/>) that cannot be made because it, or a folder between it and <paramref name="outputDirectory"/>, is a
    /// file or a link to nothing: found as the run began, it failed the experiment after the runs before it had trained.
    /// </summary>
    public static void RequireRunFolder(string outputDirectory, string runFolder, string flag)
    {
        var path = outputDirectory;
        foreach (var name in Path.GetRelativePath(outputDirectory, runFolder).Split(Path.DirectorySeparatorChar))
        {
            path = Path.Combine(path, name);
            var blocking = BrokenLink.At(path) is { } link ? link.ToString() : File.Exists(path) ? FileOrLink(path) : null;
            if (blocking is not null)
                throw new ArgumentException($"{flag} {outputDirectory}: the experiment's run folder {runFolder} cannot be made: {path} is {blocking}; remove it or choose another {flag}");
            // A missing folder is made with those below it; a folder there, or a link to one, holds them.
            if (!Directory.Exists(path)) return;
        }
    }

    // The nearest existing ancestor of a path, when it is a file (.NET says only "Could not find a part of the path").
    private static string? FileAbove(string path)
    {
        for (var above = Path.GetDirectoryName(Path.GetFullPath(path)); above is not null; above = Path.GetDirectoryName(above))
        {
            if (File.Exists(above)) return above;
            if (Directory.Exists(above)) return null;
        }
        return null;
    }

    /// <summary>
    /// Refuses <paramref name="path"/> (given by <paramref name="flag"/>) when it is the folder of logs --data
    /// <paramref name="data"/> reads, or inside it: what a verb writes there (seen.parquet is a Parquet file too)
    /// would become part of the log, and every later read of it would fail or count it. A single log file's folder is fine.
    /// </summary>
    public static void RequireOutsideData(string? path, string flag, string data)
    {
        if (string.IsNullOrWhiteSpace(path) || DataRoot(data) is not { } root) return;
        // Compared with their links resolved: a link to the log folder is the log folder.
        var output = Path.TrimEndingDirectorySeparator(RealPath.Of(path)) + Path.DirectorySeparatorChar;
        if (!output.StartsWith(root, StringComparison.Ordinal)) return;
        // The log reader skips names starting with '_' or '.' (Spark's _SUCCESS, hidden files): a folder below one is not read.
        if (output[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Any(s => s.StartsWith('_') || s.StartsWith('.'))) return;
        throw new ArgumentException($"{flag} {path} is inside the log folder --data {data} reads: what it writes would become part of the log; choose a folder outside it");
    }

    /// <summary>
    /// Refuses <paramref name="path"/> (given by <paramref name="flag"/>) when it holds the log --data <paramref name="data"/> reads:
    /// its folder or one above it. An experiment's reports and run folders would sit among the data (and its ground truth), and
    /// its note on files it did not write would tell the user to remove them.
    /// </summary>
    public static void RequireNotHoldingData(string? path, string flag, string data)
    {
        if (string.IsNullOrWhiteSpace(path)) return;
        var full = Path.GetFullPath(data);
        var log = DataRoot(data) ?? (File.Exists(full) ? RealPath.Of(full) : null);
        // Compared with their links resolved, as in RequireOutsideData.
        var output = Path.TrimEndingDirectorySeparator(RealPath.Of(Path.GetFullPath(path))) + Path.DirectorySeparatorChar;
        if (log is null || !log.StartsWith(output, StringComparison.Ordinal)) return;
        throw new ArgumentException($"{flag} {path} holds the log --data {data} reads: what the experiment writes would sit among the data; choose an {flag} that does not hold it");
    }

    // The folder a directory or glob dataset reads below (with a separator at its end); null for one file. Wildcards are the log reader's: '*' and '?'.
    private static string? DataRoot(string data)
    {
        var full = Path.GetFullPath(data);
        if (File.Exists(full)) return null;
        if (Directory.Exists(full)) return Path.TrimEndingDirectorySeparator(RealPath.Of(full)) + Path.DirectorySeparatorChar;
        var segments = full.Split(Path.DirectorySeparatorChar);
        var wild = Array.FindIndex(segments, s => s.IndexOfAny(['*', '?']) >= 0);
        return wild < 0 ? null : Path.TrimEndingDirectorySeparator(RealPath.Of(string.Join(Path.DirectorySeparatorChar, segments[..wild]) + Path.DirectorySeparatorChar)) + Path.DirectorySeparatorChar;
    }

    /// <summary>
    /// Prepares the folder and holds its lock file exclusively until disposed. The operating
    /// system releases the lock when the process ends, so a killed run never blocks the next
    /// one; the file itself is left in place, as deleting it would let a third run lock a new
    /// file while a second still holds the old one. A folder inside one another run holds is refused
    /// (<see cref="RequireNoRunAbove"/>); <paramref name="within"/> is the caller's own hold on a folder above, which its runs write below.
    /// </summary>
    public static FolderLock Lock(string? path, string flag, FolderLock? within = null)
    {
        RequireNoRunAbove(path, flag, within);
        var made = MadeFolders.OutermostMissing(path);
        var folder = Prepare(path, flag);
        var lockFile = Path.Combine(folder, LockFileName);
        // A lock is a plain file of the folder's own: through a link, two folders would share one lock.
        if (new FileInfo(lockFile).LinkTarget is { } target)
            throw new ArgumentException($"{flag} {path}: {lockFile} is a link (to {target}), where a run keeps a plain lock file; remove the link");
        // Opening a folder reads as permission denied, even to root: said as what it is.
        if (Directory.Exists(lockFile))
            throw new ArgumentException($"{flag} {path}: {lockFile} is a folder, where a run keeps its lock file; remove it or choose another {flag}");
        // Looked at before the open that makes it: a lock file an earlier run left is never this run's to remove.
        var lockMade = !File.Exists(lockFile);
        FileStream held;
        try
        {
            held = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        // A sharing violation is a plain IOException; its subclasses (not found, path too long) are other failures.
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            throw new IOException($"{flag} {path} is in use by another run (it holds {lockFile}); wait for it to finish or choose another {flag}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ArgumentException($"{flag} {path}: this user may not write into it (permission denied on {lockFile}); choose another {flag}");
        }
        return new FolderLock(held, folder, made, lockMade, $"{flag} {path}");
    }

    /// <summary>
    /// Refuses <paramref name="path"/> when a folder above it is held by a running verb: an experiment writes its runs' folders below
    /// its own, and a train that took one first made the experiment fail at that run and lose the reports of the runs it had finished.
    /// Tried with a shared lock, let go at once: a finished run's lock file, which stays, holds nothing. The folders above are those
    /// the path leads through once its links are resolved (a link into a running experiment is inside it). A caller's own hold
    /// (<paramref name="within"/>) ends the walk: above it, what a verb started later holds is no business of the caller's runs.
    /// </summary>
    public static void RequireNoRunAbove(string? path, string flag, FolderLock? within = null)
    {
        if (string.IsNullOrWhiteSpace(path)) return; // Prepare names an empty path
        var own = within is null ? null : Path.TrimEndingDirectorySeparator(RealPath.Of(within.Folder));
        for (var above = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(RealPath.Of(Path.GetFullPath(path)))); above is not null; above = Path.GetDirectoryName(above))
        {
            if (above == own) return;
            var lockFile = Path.Combine(above, LockFileName);
            if (!File.Exists(lockFile)) continue;
            try
            {
                using (new FileStream(lockFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)) { }
            }
            // As in Lock: a plain IOException is the sharing violation; another (gone meanwhile) or no permission says nothing about a run.
            catch (IOException e) when (e.GetType() == typeof(IOException))
            {
                throw new IOException($"{flag} {path} is inside {above}, which another run is writing (it holds {lockFile}; an experiment writes its runs' folders below its --out); " +
                    $"wait for it to finish or choose an {flag} outside it");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
