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
            return entry.ResolveLinkTarget(returnFinalTarget: true) is { } final && !Path.Exists(final.FullName) && !NamesAnOpenObject(final.Name)
                ? new BrokenLink(final.FullName, false) : null;
        }
        catch (IOException)
        {
            return new BrokenLink(first, true); // too many levels of links
        }
    }

    /// <summary>
    /// Whether a link's target is the kernel's name for an open pipe, socket or other object with no path ("pipe:[N]", "anon_inode:…"):
    /// what /proc/PID/fd/N and /dev/fd/N lead to for `&lt;(zcat ratings.gz)`. The kernel opens such a link, though no file has that name.
    /// </summary>
    private static bool NamesAnOpenObject(string target) =>
        (target.Contains(":[", StringComparison.Ordinal) && target.EndsWith(']')) || target.StartsWith("anon_inode:", StringComparison.Ordinal);
}
