namespace InverseLearning.Serving.Models;

/// <summary>
/// What tells one version of a file from the next without reading it: the file it is once every link on its way is followed
/// (a Kubernetes volume swaps its `..data` link, and the file's own link, its write time and length stay as they were), its
/// write time, length and permissions (a file refused as unreadable is tried again once made readable).
/// </summary>
public readonly record struct FileStamp(string RealPath, DateTime LastWriteUtc, long Length, UnixFileMode Mode)
{
    public static FileStamp? Of(string path)
    {
        var real = RealPathOf(path);
        var info = new FileInfo(real);
        return info.Exists ? new FileStamp(real, info.LastWriteTimeUtc, info.Length, info.UnixFileMode) : null;
    }

    /// <summary>
    /// <paramref name="path"/> with each link on its way, folders' included, replaced by what it leads to, as the kernel follows
    /// them; as given where the links do not end (a loop), whose file then reads as the link it is.
    /// </summary>
    private static string RealPathOf(string path, int linksLeft = 40)
    {
        var full = Path.GetFullPath(path);
        var real = Path.GetPathRoot(full)!;
        var parts = full[real.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            real = Path.Combine(real, parts[i]);
            if (new FileInfo(real).LinkTarget is not { } target) continue;
            // The link's target, relative to its folder, with the rest of the path after it: its own links are followed in turn.
            return linksLeft == 0 ? full : RealPathOf(Path.Combine([Path.GetDirectoryName(real)!, target, .. parts[(i + 1)..]]), linksLeft - 1);
        }
        return real;
    }
}
