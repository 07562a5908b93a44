using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Cli;

/// <summary>
/// A folder a verb writes Parquet files into, refused where it is a dataset's: a datagen's folder (its ground truth there), or a
/// folder inside a datagen's or a lake's. What the verb writes there would be read as part of that dataset by a later --data.
/// Looked at before the folder is locked: a lock file in it would be foreign to the datagen that wrote it.
/// </summary>
public static class DatasetFolder
{
    /// <summary>
    /// Refuses <paramref name="dir"/> (given by <paramref name="flag"/>) that holds a simulation's ground truth (the message goes on with
    /// <paramref name="besideTruth"/>, why that matters to the verb) or lies inside a dataset (<paramref name="written"/> names what the verb
    /// writes). A folder below a datagen's is refused only to a verb that writes a log (<paramref name="writesLog"/>), which would be taken
    /// for that simulation's: a model's seen list there is read by no --data that reads the datagen's log.
    /// </summary>
    public static void RequireOutside(string? dir, string flag, string written, string besideTruth, bool writesLog)
    {
        if (string.IsNullOrWhiteSpace(dir)) return; // OutputFolder.Prepare names an empty path
        if (GroundTruth.Exists(dir))
            throw new ArgumentException($"{flag} {dir} holds a simulation's ground truth ({GroundTruth.ImpressionsFileName}, {GroundTruth.ModelFileName}), {besideTruth}");
        RequireNotInside(dir, flag, written, writesLog);
    }

    /// <summary>
    /// Refuses <paramref name="dir"/> (given by <paramref name="flag"/>) where a verb writes a model's seen list (train, export;
    /// <paramref name="written"/> names it): a datagen's folder, which a glob over it reads, or a folder inside a lake.
    /// <paramref name="instead"/> tells the user what to do.
    /// </summary>
    public static void RequireOutsideForSeenList(string? dir, string flag, string written, string instead) =>
        RequireOutside(dir, flag, written, $"a datagen's folder: a glob over it ('{dir}/*.parquet') would read the {Artifacts.InferenceModel.SeenFileName} " +
            $"written there as one of its log's parts; {instead}", writesLog: false);

    /// <summary>
    /// Refuses <paramref name="dir"/> (given by <paramref name="flag"/>) that lies inside a dataset: a lake, or a datagen's folder where
    /// <paramref name="datagens"/>. datagen asks only this: the ground truth in its --out is its own previous simulation, which it replaces.
    /// </summary>
    public static void RequireNotInside(string? dir, string flag, string written, bool datagens = true)
    {
        if (string.IsNullOrWhiteSpace(dir)) return; // OutputFolder.Prepare names an empty path
        if (Above(dir, datagens) is { } lake)
            throw new ArgumentException($"{flag} {dir} is {lake}: {written} written there would be read as one of its parts, and every later read of it " +
                "fail on the parts' other columns; write into a folder outside it (or below one whose name starts with '_', which a lake's reader skips)");
    }

    /// <summary>
    /// The dataset <paramref name="dir"/> lies inside, in words ("inside X, a lake's partition"; "a lake (…)" for <paramref name="dir"/> itself): a folder above it that a datagen wrote (its ground truth there), or a lake
    /// (a folder holding key=value partition folders: <paramref name="dir"/> itself, one above it, or a partition itself); null for none.
    /// A datagen's folder counts only with <paramref name="datagens"/>. A folder whose name starts with '_' or '.' on the way down from a lake
    /// is not read by its reader, so neither is what is written below it.
    /// </summary>
    private static string? Above(string dir, bool datagens)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        var skipped = false;
        for (var folder = full; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var below = folder != full;
            var where = below ? $"inside {folder}, a" : "a";
            if (!skipped && IsPartition(folder)) return $"{where} lake's partition";
            if (!skipped && Directory.Exists(folder) && Directory.EnumerateDirectories(folder).FirstOrDefault(IsPartition) is { } partition)
                return $"{where} lake (it holds the partition {Path.GetFileName(partition)})";
            if (below && datagens && GroundTruth.Exists(folder)) return $"inside {folder}, a datagen's log (its ground truth is there)";
            skipped |= Path.GetFileName(folder) is ['_' or '.', ..];
        }
        return null;
    }

    // A partition's folder as the lake's reader takes one: key=value, with a part somewhere below it (a folder of the user's
    // named run=3, holding no Parquet file, is no lake's).
    private static bool IsPartition(string folder) =>
        Path.GetFileName(folder).IndexOf('=') > 0 && Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Any();
}
