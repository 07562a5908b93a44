namespace InverseLearning.Training.Cli;

/// <summary>What earlier runs left in a run's output folder, beside what this run wrote.</summary>
public static class EarlierOutputs
{
    /// <summary>
    /// Tells, in one line on <paramref name="log"/>, what an earlier run left in <paramref name="path"/> that this run,
    /// started at <paramref name="startedUtc"/> (by the folder's own clock: <see cref="FolderLock.TakenUtc"/>), did not write: a run writes only its own files, and an earlier run's others
    /// (an IG run's convergence plot under an NS run's metrics; an earlier experiment's methods) would read as this run's.
    /// </summary>
    /// <param name="kept">Folders of this run's own that it kept rather than wrote (an experiment's reused runs), not told.</param>
    public static void Note(string path, DateTime startedUtc, TextWriter log, IEnumerable<string>? kept = null)
    {
        var left = Find(path, startedUtc, kept);
        if (left.Count == 0) return;
        log.WriteLine($"note: {path} also holds files this run did not write (an earlier run's would read as this run's): {string.Join(", ", left.Take(6))}" +
            $"{(left.Count > 6 ? $" and {left.Count - 6} more" : "")}; remove them, or give a new --out");
    }

    /// <summary>
    /// Entries of <paramref name="path"/> with nothing written since <paramref name="sinceUtc"/>, each the largest such
    /// (a folder whole, else what is old inside it), as relative paths; hidden names (locks, staging) and links aside (a link to a
    /// folder is not listed, but a folder holding one is old only where the files it leads to are).
    /// </summary>
    /// <param name="kept">Folders left out, as in <see cref="Note"/>.</param>
    public static IReadOnlyList<string> Find(string path, DateTime sinceUtc, IEnumerable<string>? kept = null)
    {
        var left = new List<string>();
        var keptFolders = (kept ?? []).Select(folder => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))).ToHashSet();
        void Visit(DirectoryInfo folder, string prefix)
        {
            // Links are not followed, nor listed: a link to the folder itself would be walked for ever.
            foreach (var entry in folder.EnumerateFileSystemInfos().Where(e => !e.Name.StartsWith('.') && e.LinkTarget is null).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (entry is not DirectoryInfo inner) { if (entry.LastWriteTimeUtc < sinceUtc) left.Add(prefix + entry.Name); }
                else if (keptFolders.Contains(inner.FullName)) continue;
                else if (keptFolders.Any(k => k.StartsWith(inner.FullName + Path.DirectorySeparatorChar, StringComparison.Ordinal))) Visit(inner, prefix + entry.Name + "/");
                else if (Newest(inner) < sinceUtc) left.Add(prefix + entry.Name + "/");
                else Visit(inner, prefix + entry.Name + "/");
            }
        }
        Visit(new DirectoryInfo(path), "");
        return left;
    }

    // The newest write below a folder: its files' and its own, hidden names aside. A link to a folder counts with the files it
    // leads to (a run folder linked elsewhere holds the run's own), one link deep: a link back up is not walked for ever.
    private static DateTime Newest(DirectoryInfo folder, bool throughLinks = true)
    {
        var newest = folder.LastWriteTimeUtc;
        foreach (var entry in folder.EnumerateFileSystemInfos().Where(e => !e.Name.StartsWith('.')))
        {
            var written = entry.LinkTarget is not null ? (throughLinks && LinkedFolder(entry) is { } target ? Newest(target, throughLinks: false) : DateTime.MinValue)
                : entry is DirectoryInfo inner ? Newest(inner, throughLinks)
                : entry.LastWriteTimeUtc;
            if (written > newest) newest = written;
        }
        return newest;
    }

    // The folder a link leads to; null for a link to a file, to nothing, or round a loop.
    private static DirectoryInfo? LinkedFolder(FileSystemInfo link)
    {
        try
        {
            return link.ResolveLinkTarget(returnFinalTarget: true) as DirectoryInfo is { Exists: true } folder ? folder : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
