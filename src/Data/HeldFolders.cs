namespace InverseLearning.Data;

/// <summary>
/// The folders this process holds through a lock file it keeps open (a run's --out), which <see cref="AtomicFile"/> finds still
/// held before it writes into one: a folder removed while a run wrote it was made again by the run's next write, without its lock,
/// so a second run took it and the two mixed their files; one moved gave .NET's "Could not find a part of the path". A folder is
/// held while its lock file's path still names the file held open (the same device and inode).
/// </summary>
public static class HeldFolders
{
    private static readonly List<HeldFolder> Holds = [];

    /// <summary>
    /// Registers <paramref name="folder"/>, locked by the open <paramref name="lockFile"/>, until the returned hold is disposed;
    /// <paramref name="name"/> is how the user gave it ("--out van4").
    /// </summary>
    public static HeldFolder Register(string folder, FileStream lockFile, string name)
    {
        var hold = new HeldFolder(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)), lockFile, name);
        lock (Holds) Holds.Add(hold);
        return hold;
    }

    /// <summary>Throws <see cref="HeldFolderGoneException"/> when <paramref name="directory"/> is a held folder, or inside one, that is no longer held.</summary>
    public static void RequireHeld(string directory)
    {
        // The outermost first: an experiment's folder removed is told as its own, not as that of the run inside it.
        foreach (var hold in Containing(directory))
            if (!hold.StillHeld) throw new HeldFolderGoneException(hold.Gone());
    }

    /// <summary>
    /// Where <paramref name="path"/>, inside a held folder that was moved, now is (found through the lock file held open); null
    /// when it is in no held folder, or its folder was removed.
    /// </summary>
    public static string? Moved(string path)
    {
        var full = Path.GetFullPath(path);
        return Containing(Path.GetDirectoryName(full)!).LastOrDefault() is { MovedTo: { } now } hold
            ? Path.Combine(now, Path.GetRelativePath(hold.Folder, full)) : null;
    }

    internal static void Release(HeldFolder hold)
    {
        lock (Holds) Holds.Remove(hold);
    }

    private static List<HeldFolder> Containing(string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        lock (Holds)
            return Holds.Where(hold => full == hold.Folder || full.StartsWith(hold.Folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .OrderBy(hold => hold.Folder.Length).ToList();
    }
}
