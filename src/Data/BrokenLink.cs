namespace InverseLearning.Data;

/// <summary>
/// A symbolic link that leads nowhere: to nothing, or round a loop of links. .NET's File.Exists says true of one. Internal, and
/// compiled into each program that checks for one (the trainer, the serving host, which does not reference this project) from this one file.
/// </summary>
internal readonly record struct BrokenLink(string Target, bool Loops)
{
    /// <summary>What the link is, for a refusal: "a link to X, which does not exist", or one that leads back to itself.</summary>
    public override string ToString() =>
        Loops ? $"a link that leads back to itself (through {Target})" : $"a link to {Target}, which does not exist";

    /// <summary>The broken link at <paramref name="path"/>; null for no link, or a link to something that exists.</summary>
    public static BrokenLink? At(string path) => Of(new FileInfo(path));

    /// <summary><paramref name="entry"/> as a broken link; null for no link, or a link to something that exists.</summary>
    public static BrokenLink? Of(FileSystemInfo entry)
    {
        if (entry.LinkTarget is not { } first) return null;
        try
        {
            return entry.ResolveLinkTarget(returnFinalTarget: true) is { } final && !Path.Exists(final.FullName) && !IsOpenFile(final.FullName)
                ? new BrokenLink(final.FullName, false) : null;
        }
        catch (IOException)
        {
            return new BrokenLink(first, true); // too many levels of links
        }
    }

    /// <summary>
    /// Whether <paramref name="target"/> is what a process's descriptor link (/dev/fd/N, /dev/stdin, /proc/PID/fd/N) leads to when the
    /// descriptor is no file of a folder: "pipe:[123]", "socket:[123]" or "anon_inode:…", read as a name in the fd folder. Such a link
    /// opens (`--input &lt;(zcat log.gz)`, a pipe into /dev/stdin), though its target names no path.
    /// </summary>
    private static bool IsOpenFile(string target) =>
        Path.GetFileName(target) is var name && (name.StartsWith("pipe:[", StringComparison.Ordinal) || name.StartsWith("socket:[", StringComparison.Ordinal)
            || name.StartsWith("anon_inode:", StringComparison.Ordinal))
        && Path.GetFileName(Path.GetDirectoryName(target)) == "fd";
}
