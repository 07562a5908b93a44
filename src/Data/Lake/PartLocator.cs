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
        if (GlobPattern.IsGlob(spec)) return WithoutTruth(OfOneSimulation(FindGlob(spec), spec), spec);
        if (File.Exists(spec)) return WithoutTruth(new Located(Path.GetDirectoryName(Path.GetFullPath(spec))!, [Path.GetFileName(spec)]), spec);
        if (!Directory.Exists(spec))
        {
            // "log.parquet/" names a folder: the file of that name was not looked for, and "file not found" beside it puzzled.
            var file = spec.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            throw new DataException(file.Length > 0 && file != spec && File.Exists(file)
                ? $"{spec}: ends in '{spec[^1]}', which names a folder, and {file} is a file: give --data {file}"
                : $"{spec}: file not found");
        }
        // datagen's folder: its log (a file, or a lake of days), and beside it the truth, which is no part of the log.
        if (File.Exists(Path.Combine(spec, Simulation.GroundTruth.ImpressionsFileName)) && SimulationLog(spec) is { } log)
            throw new DataException($"{spec} is a simulation's folder (its log, and the truth beside it): give --data {log}");
        var parts = Below(spec).Where(p => p.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)).ToList();
        if (parts.Count == 0)
            throw new DataException($"{spec}: a directory without Parquet part files (*.parquet, searched recursively); expected a log file or a directory of part files");
        return OfOneSimulation(Distinct(new Located(spec, parts)), spec);
    }

    /// <summary>
    /// Refuses parts of two simulations' logs (a glob or a folder over two datagen folders): read as one log, neither truth would
    /// describe its rows, and each simulation's truth is found only beside its own folder. Told by the folders, before any file is
    /// opened; parts of two simulations without their truths are told by their stamps as the footers are read (SimulationAgreement).
    /// </summary>
    private static Located OfOneSimulation(Located located, string spec)
    {
        (string Folder, string Part)? first = null;
        foreach (var relative in located.RelativePaths)
        {
            var part = Path.GetFullPath(Path.Combine(located.Root, relative));
            if (SimulationFolderOf(part) is not { } folder) continue;
            first ??= (folder, part);
            if (folder != first.Value.Folder)
                throw new DataException($"{spec} spans two simulations' logs, {first.Value.Folder}'s ({first.Value.Part}) and {folder}'s ({part}), each beside its own truth " +
                    $"({Path.Combine(first.Value.Folder, Simulation.GroundTruth.ImpressionsFileName)}, {Path.Combine(folder, Simulation.GroundTruth.ImpressionsFileName)}): " +
                    "read as one log, neither truth would describe its rows; give one simulation's log as --data");
        }
        return located;
    }

    /// <summary>The datagen folder whose log <paramref name="part"/> (a full path) belongs to: DIR of DIR/interactions.parquet or DIR/interactions/…, with DIR/truth.parquet; null for none.</summary>
    private static string? SimulationFolderOf(string part)
    {
        if (Path.GetFileName(part) == Simulation.SimulationFiles.InteractionsFileName && HasTruth(Path.GetDirectoryName(part)!)) return Path.GetDirectoryName(part);
        for (var folder = Path.GetDirectoryName(part); Path.GetDirectoryName(folder) is { } parent; folder = parent)
            if (Path.GetFileName(folder) == Simulation.PartitionedSimulationFiles.DirectoryName && HasTruth(parent)) return parent;
        return null;
    }

    private static bool HasTruth(string folder) => File.Exists(Path.Combine(folder, Simulation.GroundTruth.ImpressionsFileName));

    /// <summary>The log datagen wrote in <paramref name="folder"/> (a file, or a lake of days); null when there is none.</summary>
    private static string? SimulationLog(string folder) =>
        new[] { Simulation.SimulationFiles.InteractionsFileName, Simulation.PartitionedSimulationFiles.DirectoryName }.Select(name => Path.Combine(folder, name)).FirstOrDefault(Path.Exists);

    /// <summary>Refuses a simulation's truth files reached as parts (a glob over datagen's folder, or truth.parquet named itself): they are no log.</summary>
    private static Located WithoutTruth(Located located, string spec)
    {
        foreach (var part in located.RelativePaths)
        {
            var path = Path.Combine(located.Root, part);
            if (Path.GetFileName(path) is Simulation.GroundTruth.ImpressionsFileName or Simulation.GroundTruth.ModelFileName
                && SimulationLog(Path.GetDirectoryName(path)!) is { } log)
                throw new DataException($"{spec} reaches {path}, a simulation's truth, which is no part of its log: give --data {log}");
        }
        return located;
    }

    private static Located FindGlob(string spec)
    {
        var glob = GlobPattern.Parse(spec);
        var parts = Directory.Exists(glob.Root) ? Below(glob.Root, glob).Where(glob.Matches).ToList() : [];
        if (parts.Count == 0)
            throw new DataException($"{spec}: the glob matches no files{(Directory.Exists(glob.Root) ? "" : $" ({glob.Root} does not exist)")}");
        return Distinct(new Located(glob.Root, parts));
    }

    /// <summary>
    /// Files below <paramref name="root"/>, relative, '/'-separated, ordinal order; hidden and '_' entries skipped at every level.
    /// A linked folder is read as the folder it points to (a partition moved to another disk and linked back), once: a folder
    /// reached a second time (a link to one the walk has passed, or a link back up, which would never end) is refused, since
    /// its parts would be read twice. Under a <paramref name="glob"/>, only what it may read is walked and judged: folders that
    /// may hold its matches, and links that cannot be reached where it would read them (<see cref="GlobMayRead"/>).
    /// </summary>
    private static List<string> Below(string root, GlobPattern? glob = null)
    {
        var found = new List<string>();
        var visited = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(string directory, string prefix)
        {
            var real = RealPath.Of(directory);
            if (!visited.TryAdd(real, directory))
            {
                // Name the way in that goes through a link (the link itself), whichever of the two the walk met first.
                var (link, other) = LinkOnTheWay(directory, root) is null && LinkOnTheWay(visited[real], root) is { } earlier
                    ? (earlier, directory) : (LinkOnTheWay(directory, root) ?? directory, visited[real]);
                throw new DataException($"{link}: a link to {real}, which the dataset reaches also as {other}; its part files would be read twice (remove the link)");
            }
            foreach (var entry in Entries(directory))
            {
                if (entry.Name.StartsWith('_') || entry.Name.StartsWith('.')) continue;
                var path = prefix + entry.Name;
                // A link whose target is gone (a disk not mounted) or loops would drop its rows without a word.
                if (entry.LinkTarget is { } target && BrokenLink.Of(entry) is not null)
                {
                    if (glob is not null && !GlobMayRead(glob, path, entry.Name)) continue; // notes.txt -> a file gone, beside **/*.parquet
                    throw new DataException($"{entry.FullName}: a link to {target}, which cannot be reached (missing, a loop of links, or behind a folder this user may not enter); mount, restore or open it, or remove the link");
                }
                if (entry is not DirectoryInfo) found.Add(path);
                else if (glob is null || glob.MayHoldMatches(path)) Walk(entry.FullName, path + "/"); // a link to a folder is one too
            }
        }
        Walk(root, "");
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>
    /// Whether a link that cannot be reached is one the glob would read, whose parts would be dropped without a word: as a part, or
    /// as a folder of parts that its pattern names (`day=*`), or, where a `**` passes any folder, that is a partition (key=value),
    /// as a partition moved to a disk not mounted is. What it is cannot be told, its target being gone.
    /// </summary>
    private static bool GlobMayRead(GlobPattern glob, string path, string name) =>
        glob.Matches(path) || glob.MayHoldMatches(path, namedByPattern: true) || HivePartition.IsPartitionFolder(name) && glob.MayHoldMatches(path);

    /// <summary>Refuses two part paths that are one file (a link, symbolic or hard, to another part): its rows would be read twice.</summary>
    private static Located Distinct(Located located)
    {
        var seen = new Dictionary<(ulong, ulong), string>();
        foreach (var part in located.RelativePaths)
        {
            if (FileIdentity.Of(Path.Combine(located.Root, part)) is not { } identity) continue;
            if (!seen.TryAdd(identity, part))
                throw new DataException($"{Path.Combine(located.Root, part)} is the same file as {Path.Combine(located.Root, seen[identity])} (a link to it); its rows would be read twice (remove the link)");
        }
        return located;
    }

    /// <summary>The innermost folder on <paramref name="directory"/>'s path below <paramref name="root"/> that is a link, or null.</summary>
    private static string? LinkOnTheWay(string directory, string root)
    {
        var top = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        for (var folder = Path.GetFullPath(directory); folder.Length > top.Length; folder = Path.GetDirectoryName(folder)!)
            if (new DirectoryInfo(folder).LinkTarget is not null) return folder;
        return null;
    }

    private static List<FileSystemInfo> Entries(string directory)
    {
        try
        {
            // In name order, so that of two ways to one folder the later name is the one refused, whatever order the disk lists.
            return [.. new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(entry => entry.Name, StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DataException($"{directory}: cannot list this folder of the dataset ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)}); expected a folder this user may read");
        }
    }
}
