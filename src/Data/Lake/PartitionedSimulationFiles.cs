namespace InverseLearning.Data.Simulation;

/// <summary>
/// `datagen --partition-by day`: the log as DIR/interactions/day=YYYY-MM-DD/part-0.parquet
/// beside the ground truth, whose per-impression labels follow the dataset's row order
/// (day by day), so a reader of the directory finds each row's truth at its own index.
/// </summary>
public static class PartitionedSimulationFiles
{
    public const string DirectoryName = "interactions";

    /// <summary>Writes truth then dataset (a dataset on disk always has its truth); returns the number of daily partitions.</summary>
    public static int Write(SimulationResult r, string dir)
    {
        ArgumentNullException.ThrowIfNull(r);
        Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, DirectoryName);
        var staged = Path.Combine(dir, $".{DirectoryName}.{Environment.ProcessId}.{Guid.NewGuid():N}.staged");
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
}
