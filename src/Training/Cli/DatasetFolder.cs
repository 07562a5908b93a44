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
    /// Refuses <paramref name="dir"/> (given by <paramref name="flag"/>) that lies inside a dataset: a lake, or a datagen's folder where
    /// <paramref name="datagens"/>. datagen asks only this: the ground truth in its --out is its own previous simulation, which it replaces.
    /// </summary>
    public static void RequireNotInside(string? dir, string flag, string written, bool datagens = true)
    {
        if (string.IsNullOrWhiteSpace(dir)) return; // OutputFolder.Prepare names an empty path
        if (Above(dir, datagens) is { } lake)
            throw new ArgumentException($"{flag} {dir} is inside {lake}: {written} written there would be read as one of its parts, and every later read of it " +
                "fail on the parts' other columns; write into a folder outside it");
    }

    /// <summary>
    /// The dataset <paramref name="dir"/> lies inside, in words: a folder above it that a datagen wrote (its ground truth there), or a lake's
    /// (key=value partition folders beside it, or one above it); null for none. A datagen's folder counts only with <paramref name="datagens"/>.
    /// </summary>
    private static string? Above(string dir, bool datagens)
    {
        var full = Path.GetFullPath(dir);
        var parent = Path.GetDirectoryName(full);
        if (parent is not null && Directory.Exists(parent) && Directory.EnumerateDirectories(parent).FirstOrDefault(IsPartition) is { } partition)
            return $"{parent}, a lake (it holds the partition {Path.GetFileName(partition)})";
        for (var above = parent; above is not null; above = Path.GetDirectoryName(above))
        {
            if (datagens && GroundTruth.Exists(above)) return $"{above}, a datagen's log (its ground truth is there)";
            if (IsPartition(above)) return $"{above}, a lake's partition";
        }
        return null;
    }

    // A partition's folder as the lake's reader takes one: key=value, with a part somewhere below it (a folder of the user's
    // named run=3, holding no Parquet file, is no lake's).
    private static bool IsPartition(string folder) =>
        Path.GetFileName(folder).IndexOf('=') > 0 && Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Any();
}
