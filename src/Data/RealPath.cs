namespace InverseLearning.Data;

/// <summary>
/// A path with every symbolic link along it resolved, as realpath(3) gives, for comparing two paths that may name one
/// place: a log folder and an output folder, two input files. As the kernel does, `..` is taken after the links before
/// it (a link's parent, not the parent written before it), and at most 40 links are followed in all. The part of the
/// path that does not exist yet is kept as written. Internal, and compiled into each program that compares paths (the trainer,
/// the serving host) from this one file.
/// </summary>
internal static class RealPath
{
    private const int MaxLinks = 40; // as the kernel's own limit on links followed in one lookup

    public static string Of(string path)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var resolved = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        PushParts(pending, full[resolved.Length..]);
        var linksLeft = MaxLinks;
        while (pending.TryPop(out var part))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? resolved; // the root's parent is the root
                continue;
            }
            var next = Path.Combine(resolved, part);
            FileSystemInfo entry = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (entry.Exists && entry.LinkTarget is { } target && linksLeft-- > 0)
            {
                // The target's parts are looked up next, from the link's folder or, for an absolute target, from its root.
                if (Path.IsPathRooted(target)) resolved = Path.GetPathRoot(target)!;
                PushParts(pending, Path.IsPathRooted(target) ? target[resolved.Length..] : target);
                continue;
            }
            resolved = next;
        }
        return resolved;
    }

    private static void PushParts(Stack<string> pending, string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--) pending.Push(parts[i]);
    }
}
