namespace InverseLearning.Data;

/// <summary>
/// A path with every symbolic link along it resolved, as realpath(3) gives, for comparing two paths that may name one
/// place: a log folder and an output folder, two input files. The part of the path that does not exist yet is kept as written.
/// </summary>
public static class RealPath
{
    private const int MaxLinks = 40; // as the kernel's own limit on links followed in one lookup

    public static string Of(string path) => Resolve(Path.GetFullPath(path), MaxLinks);

    private static string Resolve(string full, int linksLeft)
    {
        var resolved = Path.GetPathRoot(full)!;
        foreach (var part in full[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(resolved, part);
            FileSystemInfo entry = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (entry.Exists && entry.LinkTarget is { } target && linksLeft > 0)
                next = Resolve(Path.GetFullPath(target, resolved), linksLeft - 1);
            resolved = next;
        }
        return resolved;
    }
}
