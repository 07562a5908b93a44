namespace InverseLearning.Data;

/// <summary>
/// What `--data` names: one Parquet file, a directory of part files (searched
/// recursively), or a glob. Part files come in a stable order (ordinal by path below the
/// root), and names starting with '_' or '.' (Spark's _SUCCESS, checksum and temporary
/// files) are never parts.
/// </summary>
internal static class PartLocator
{
    public sealed record Located(string Root, IReadOnlyList<string> RelativePaths);

    public static Located Find(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new DataException("--data is empty; expected a Parquet file, a directory of part files or a glob");
        if (GlobPattern.IsGlob(spec)) return FindGlob(spec);
        if (File.Exists(spec)) return new Located(Path.GetDirectoryName(Path.GetFullPath(spec))!, [Path.GetFileName(spec)]);
        if (!Directory.Exists(spec)) throw new DataException($"{spec}: file not found");
        var parts = Below(spec).Where(p => p.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)).ToList();
        if (parts.Count == 0)
            throw new DataException($"{spec}: a directory without Parquet part files (*.parquet, searched recursively); expected a log file or a directory of part files");
        return new Located(spec, parts);
    }

    private static Located FindGlob(string spec)
    {
        var glob = GlobPattern.Parse(spec);
        var parts = Directory.Exists(glob.Root) ? Below(glob.Root).Where(glob.Matches).ToList() : [];
        if (parts.Count == 0)
            throw new DataException($"{spec}: the glob matches no files{(Directory.Exists(glob.Root) ? "" : $" ({glob.Root} does not exist)")}");
        return new Located(glob.Root, parts);
    }

    /// <summary>Files below <paramref name="root"/>, relative, '/'-separated, ordinal order; hidden and '_' entries skipped at every level.</summary>
    private static List<string> Below(string root)
    {
        var found = new List<string>();
        void Walk(string directory, string prefix)
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                if (entry.Name.StartsWith('_') || entry.Name.StartsWith('.')) continue;
                // Linked directories are not followed: a link back up would never end.
                if (entry is DirectoryInfo) { if (entry.LinkTarget is null) Walk(entry.FullName, prefix + entry.Name + "/"); }
                else found.Add(prefix + entry.Name);
            }
        }
        Walk(root, "");
        found.Sort(StringComparer.Ordinal);
        return found;
    }
}
