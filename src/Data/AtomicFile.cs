using System.Text;
using System.Text.RegularExpressions;

namespace InverseLearning.Data;

/// <summary>
/// Writes a file beside its destination, then renames it over, so readers see the old
/// file or the new one, never a torn one (logs, datasets, models, checkpoints, reports).
/// Temporary files are named <c>.NAME.inverselearning-HOST-PID-GUID.tmp</c>; a write first
/// removes those a crashed process of this machine left in the same folder (their PID no longer runs here), so
/// kills mid-write do not pile up partial files. Other programs' *.tmp files are never touched.
/// </summary>
public static partial class AtomicFile
{
    private const string Marker = "inverselearning";

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Streams a file into place: <paramref name="write"/> fills it, then it is renamed over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write) => WriteTogether([(path, write)]);

    /// <summary>
    /// Files that belong together (a model and its seen list): each is written to its temporary first, then all are
    /// renamed into place in the order given, so a kill or a failure leaves old and new mixed only in the instant between
    /// two renames, never for the time the writes take. A destination that is a folder is refused before anything is written.
    /// </summary>
    /// <param name="cancel">Checked once every file is written, before the first rename: a cancelled write leaves the old files.</param>
    public static void WriteTogether(IReadOnlyList<(string Path, Action<Stream> Write)> files, CancellationToken cancel = default)
    {
        foreach (var (path, _) in files)
            if (Directory.Exists(path)) throw new IOException($"{path} is a folder; expected a file to write or replace");
        // Before the folder is made: a held folder removed is not made again without its lock.
        RequireHeld(files);
        var written = new List<(string Temporary, string Path)>();
        try
        {
            foreach (var (path, write) in files) written.Add((WriteTemporary(path, write), path));
            cancel.ThrowIfCancellationRequested();
            // Removed or moved while the files were written: renamed into whatever folder now has its name, they would land in another run's.
            RequireHeld(files);
            foreach (var (temporary, path) in written) File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e)
        {
            foreach (var (temporary, _) in written) DeleteTemporary(temporary);
            // .NET's "Could not find a part of the path" names a hidden temporary: a held folder moved or removed meanwhile is told as such.
            if (e is DirectoryNotFoundException) RequireHeld(files);
            throw;
        }
    }

    private static void RequireHeld(IReadOnlyList<(string Path, Action<Stream> Write)> files)
    {
        foreach (var (path, _) in files) HeldFolders.RequireHeld(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    // A temporary whose held folder was moved went with it, and is removed there; one in a folder removed went with it.
    private static void DeleteTemporary(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (DirectoryNotFoundException)
        {
            if (HeldFolders.Moved(temporary) is { } moved) File.Delete(moved);
        }
    }

    private static string WriteTemporary(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        RemoveOrphans(directory);
        var temporary = Path.Combine(directory, TemporaryName(Path.GetFileName(path), Environment.ProcessId));
        try
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            // The disk's failure (full, over quota, gone), told of the file the caller named, not of its hidden temporary.
            DeleteTemporary(temporary);
            throw new IOException($"cannot write {path}: {DiskFailure.Reason(e)}", e);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "value")
        {
            // EFBIG, which .NET raises as a length out of range: the file outgrew the file system's largest file or the process's
            // file-size limit (ulimit -f). Told of the file the caller named; .NET's words name only a parameter.
            DeleteTemporary(temporary);
            throw new IOException($"cannot write {path}: the file grew past the largest this file system, or the process's file-size limit (ulimit -f), allows", e);
        }
        catch
        {
            DeleteTemporary(temporary);
            throw;
        }
        return temporary;
    }

    /// <summary>The name a write by process <paramref name="processId"/> gives its temporary file for <paramref name="fileName"/>.</summary>
    public static string TemporaryName(string fileName, int processId) => $".{fileName}.{Marker}-{ProcessLiveness.HostTag}-{processId}-{Guid.NewGuid():N}.tmp";

    /// <summary>Whether <paramref name="fileName"/> is a temporary file's name as <see cref="TemporaryName"/> gives it (not any *.tmp: a user's may end so).</summary>
    public static bool IsTemporaryName(string fileName) => TemporaryPattern().IsMatch(fileName);

    /// <summary>Deletes this project's temporary files in <paramref name="directory"/> whose writing process has ended; returns how many.</summary>
    public static int RemoveOrphans(string directory)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, $".*.{Marker}-*.tmp"))
        {
            var match = TemporaryPattern().Match(Path.GetFileName(file));
            if (!match.Success || !int.TryParse(match.Groups[2].Value, out var owner) || ProcessLiveness.MayStillBeWriting(Host(match), owner)) continue;
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: another writer may be removing it too, or it is not ours to delete.
            }
        }
        return removed;
    }

    /// <summary>
    /// Deletes the folders in <paramref name="directory"/> named <paramref name="prefix"/>HOST.PID.GUID<paramref name="suffix"/>
    /// (or PID.GUID, as written before the host was) whose process PID has ended on this machine: staging folders of a write
    /// killed before it could remove them. Another machine's are left: its PID cannot be looked at from here.
    /// </summary>
    public static void RemoveOrphanedFolders(string directory, string prefix, string suffix)
    {
        foreach (var folder in Directory.EnumerateDirectories(directory, $"{prefix}*{suffix}"))
        {
            // Exactly PID.GUID between them: `.out.` + `2024.PID.GUID.staging` is another folder's (out.2024) staging, not ours.
            var match = OwnerPattern().Match(Path.GetFileName(folder)[prefix.Length..^suffix.Length]);
            if (!match.Success || !int.TryParse(match.Groups[2].Value, out var processId) || ProcessLiveness.MayStillBeWriting(Host(match), processId)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: another writer may be removing it too.
            }
        }
    }

    /// <summary>The name that <see cref="ProcessLiveness.HostTag"/> and this process give a folder they write, between its prefix and suffix.</summary>
    public static string OwnerTag() => $"{ProcessLiveness.HostTag}.{Environment.ProcessId}.{Guid.NewGuid():N}";

    private static string? Host(Match match) => match.Groups[1].Success ? match.Groups[1].Value : null;

    [GeneratedRegex($@"^\..+\.{Marker}-(?:([A-Za-z0-9]{{1,63}})-)?(\d{{1,10}})-[0-9a-f]{{32}}\.tmp$")]
    private static partial Regex TemporaryPattern();

    [GeneratedRegex(@"^(?:([A-Za-z0-9]{1,63})\.)?(\d{1,10})\.[0-9a-f]{32}$")]
    private static partial Regex OwnerPattern();
}
