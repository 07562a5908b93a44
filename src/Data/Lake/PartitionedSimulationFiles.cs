namespace InverseLearning.Data.Simulation;

/// <summary>
/// `datagen --partition-by day`: the log as DIR/interactions/day=YYYY-MM-DD/part-0.parquet
/// beside the ground truth, whose per-impression labels follow the dataset's row order
/// (day by day), so a reader of the directory finds each row's truth at its own index.
/// </summary>
public static class PartitionedSimulationFiles
{
    public const string DirectoryName = "interactions";

    /// <summary>A write's staging folder beside the dataset's: prefix, PID.GUID, suffix.</summary>
    public const string StagingPrefix = "." + DirectoryName + ".", StagingSuffix = ".staged";

    /// <summary>Writes truth then dataset (a dataset on disk always has its truth); returns the number of daily partitions.</summary>
    public static int Write(SimulationResult r, string dir)
    {
        ArgumentNullException.ThrowIfNull(r);
        var (target, staged) = Prepare(dir);
        try
        {
            // The order is known only once the partitions are written; stage them, then save the truth in that order, then move them in.
            var order = DayPartitionedWriter.Write(r.Log, staged);
            var labels = r.Truth.ImpressionLabels;
            r.Truth.ImpressionLabels = [.. order.Select(row => labels[row])];
            try
            {
                r.Truth.Save(dir);
            }
            finally
            {
                // The result still describes the log in memory, in its own row order.
                r.Truth.ImpressionLabels = labels;
            }
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staged, target);
            return Directory.GetDirectories(target).Length;
        }
        finally
        {
            if (Directory.Exists(staged)) Directory.Delete(staged, recursive: true);
        }
    }

    /// <summary>
    /// `datagen --partition-by day` past what one log in memory holds: the simulation in pieces of
    /// at most <paramref name="rowsPerChunk"/> rows (<see cref="FeedSimulator.RunInChunks"/>), piece k
    /// written as day=…/part-NNNNN.parquet with NNNNN = k, so a reader meets the pieces of a day in
    /// simulation order: the dataset is row for row the one <see cref="Write"/> makes of the whole
    /// log. The truth's labels are kept per day and piece (a byte a row) and saved in that order.
    /// Returns the ground truth and the number of daily partitions.
    /// </summary>
    public static (GroundTruth Truth, int Days) WriteInChunks(SimulatorOptions o, int seed, int rowsPerChunk, string dir, IProgress<double>? progress = null)
    {
        var (target, staged) = Prepare(dir);
        try
        {
            var labelsByDay = new SortedDictionary<long, List<bool[]>>();
            var piece = 0;
            var truth = FeedSimulator.RunInChunks(o, seed, rowsPerChunk, (log, labels) =>
            {
                foreach (var (day, rows) in DayPartitionedWriter.WriteDays(log, target, staged, $"part-{piece:D5}.parquet"))
                {
                    if (!labelsByDay.TryGetValue(day, out var pieces)) labelsByDay[day] = pieces = [];
                    pieces.Add([.. rows.Select(row => labels[row])]);
                }
                piece++;
            }, progress);
            truth.ImpressionLabels = [.. labelsByDay.Values.SelectMany(pieces => pieces).SelectMany(labels => labels)];
            truth.Save(dir);
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staged, target);
            return (truth, labelsByDay.Count);
        }
        finally
        {
            if (Directory.Exists(staged)) Directory.Delete(staged, recursive: true);
        }
    }

    /// <summary>
    /// The dataset's folder in <paramref name="dir"/> and a new staging folder beside it, once the staging folders of earlier
    /// writes whose process has ended (killed mid-write: nothing else removes them) are deleted.
    /// </summary>
    private static (string Target, string Staged) Prepare(string dir)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.RemoveOrphanedFolders(dir, StagingPrefix, StagingSuffix);
        return (Path.Combine(dir, DirectoryName), Path.Combine(dir, $"{StagingPrefix}{Environment.ProcessId}.{Guid.NewGuid():N}{StagingSuffix}"));
    }
}
