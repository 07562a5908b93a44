using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace InverseLearning.Data;

/// <summary>
/// Writes a file beside its destination, then renames it over, so readers see the old
/// file or the new one, never a torn one (logs, datasets, models, checkpoints, reports).
/// Temporary files are named <c>.NAME.inverselearning-PID-GUID.tmp</c>; a write first
/// removes those a crashed process left in the same folder (their PID no longer runs), so
/// kills mid-write do not pile up partial files. Other programs' *.tmp files are never touched.
/// </summary>
public static partial class AtomicFile
{
    private const string Marker = "inverselearning";

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Streams a file into place: <paramref name="write"/> fills it, then it is renamed over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        RemoveOrphans(directory);
        var temporary = Path.Combine(directory, TemporaryName(Path.GetFileName(path), Environment.ProcessId));
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The name a write by process <paramref name="processId"/> gives its temporary file for <paramref name="fileName"/>.</summary>
    public static string TemporaryName(string fileName, int processId) => $".{fileName}.{Marker}-{processId}-{Guid.NewGuid():N}.tmp";

    /// <summary>Deletes this project's temporary files in <paramref name="directory"/> whose writing process has ended; returns how many.</summary>
    public static int RemoveOrphans(string directory)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, $".*.{Marker}-*.tmp"))
        {
            var match = TemporaryPattern().Match(Path.GetFileName(file));
            if (!match.Success || !int.TryParse(match.Groups[1].Value, out var owner) || IsRunning(owner)) continue;
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
    /// Deletes the folders in <paramref name="directory"/> named <paramref name="prefix"/>PID.GUID<paramref name="suffix"/> whose
    /// process PID has ended: staging folders of a write killed before it could remove them.
    /// </summary>
    public static void RemoveOrphanedFolders(string directory, string prefix, string suffix)
    {
        foreach (var folder in Directory.EnumerateDirectories(directory, $"{prefix}*{suffix}"))
        {
            // Exactly PID.GUID between them: `.out.` + `2024.PID.GUID.staging` is another folder's (out.2024) staging, not ours.
            var match = OwnerPattern().Match(Path.GetFileName(folder)[prefix.Length..^suffix.Length]);
            if (!match.Success || !int.TryParse(match.Groups[1].Value, out var processId) || IsRunning(processId)) continue;
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

    /// <summary>Whether process <paramref name="processId"/> still runs: a file or folder it was writing is not an orphan yet.</summary>
    private static bool IsRunning(int processId)
    {
        if (processId == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [GeneratedRegex($@"^\..+\.{Marker}-(\d{{1,10}})-[0-9a-f]{{32}}\.tmp$")]
    private static partial Regex TemporaryPattern();

    [GeneratedRegex(@"^(\d{1,10})\.[0-9a-f]{32}$")]
    private static partial Regex OwnerPattern();
}
