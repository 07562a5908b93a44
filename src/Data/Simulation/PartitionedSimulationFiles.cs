namespace InverseLearning.Data.Simulation;

/// <summary>
/// `datagen --partition-by day`: the log as DIR/interactions/day=YYYY-MM-DD/part-0.parquet
/// beside the ground truth, whose per-impression labels follow the dataset's row order
/// (day by day), so a reader of the directory finds each row's truth at its own index. The
/// whole folder is staged and replaced, as a plain datagen's is.
/// </summary>
public static class PartitionedSimulationFiles
{
    public const string DirectoryName = "interactions";

    /// <summary>The staging folders inside DIR of writes before the whole folder was staged: removed when found.</summary>
    public const string StagingPrefix = "." + DirectoryName + ".", StagingSuffix = ".staged";

    /// <summary>Writes truth and dataset as one set (<see cref="SimulationFiles.Replace"/>); returns the number of daily partitions.</summary>
    public static int Write(SimulationResult r, string dir, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(r);
        return SimulationFiles.Replace(dir, staging =>
        {
            // The order is known only once the partitions are written; write them, then save the truth in that order.
            // Straight into the staged folder, which is replaced whole; errors name the dataset where it will be.
            var dataset = Path.Combine(staging, DirectoryName);
            Directory.CreateDirectory(dataset);
            var order = DayPartitionedWriter.WriteDays(r.Log, Path.Combine(dir, DirectoryName), dataset, DayPartitionedWriter.PartFileName, SimulationStamp.Metadata(r.Truth.Stamp))
                .Values.SelectMany(rows => rows).ToArray();
            cancel.ThrowIfCancellationRequested(); // the truth's write that follows takes a while on a large log
            var labels = r.Truth.ImpressionLabels;
            r.Truth.ImpressionLabels = [.. order.Select(row => labels[row])];
            try
            {
                r.Truth.Save(staging);
            }
            finally
            {
                // The result still describes the log in memory, in its own row order.
                r.Truth.ImpressionLabels = labels;
            }
            return Directory.GetDirectories(dataset).Length;
        }, cancel);
    }

    /// <summary>
    /// `datagen --partition-by day` past what one log in memory holds: the simulation in pieces of
    /// at most <paramref name="rowsPerChunk"/> rows (<see cref="FeedSimulator.RunInChunks"/>), piece k
    /// written as day=…/part-NNNNN.parquet with NNNNN = k, so a reader meets the pieces of a day in
    /// simulation order: the dataset is row for row the one <see cref="Write"/> makes of the whole
    /// log. The truth's labels are kept per day and piece (a byte a row) and saved in that order.
    /// Returns the ground truth and the number of daily partitions.
    /// </summary>
    /// <param name="world">Told the share drawn of the simulation's world, which comes before its first piece (<see cref="FeedSimulator.Run"/>).</param>
    public static (GroundTruth Truth, int Days) WriteInChunks(SimulatorOptions o, int seed, int rowsPerChunk, string dir, IProgress<double>? progress = null,
        CancellationToken cancel = default, IProgress<double>? world = null) =>
        SimulationFiles.Replace(dir, staging =>
        {
            var dataset = Path.Combine(staging, DirectoryName);
            var named = Path.Combine(dir, DirectoryName);
            var labelsByDay = new SortedDictionary<long, List<bool[]>>();
            var piece = 0;
            var stamp = SimulationStamp.Metadata(SimulationStamp.Of(o, seed));
            var truth = FeedSimulator.RunInChunks(o, seed, rowsPerChunk, (log, labels) =>
            {
                foreach (var (day, rows) in DayPartitionedWriter.WriteDays(log, named, dataset, $"part-{piece:D5}.parquet", stamp))
                {
                    if (!labelsByDay.TryGetValue(day, out var pieces)) labelsByDay[day] = pieces = [];
                    pieces.Add([.. rows.Select(row => labels[row])]);
                }
                piece++;
            }, progress, cancel, world);
            truth.ImpressionLabels = InDayOrder(labelsByDay, cancel);
            cancel.ThrowIfCancellationRequested(); // the truth's write takes a while on a large log
            truth.Save(staging);
            return (truth, labelsByDay.Count);
        }, cancel);

    /// <summary>
    /// The pieces' labels put together day by day: copied a piece at a time, the token checked between pieces, where a LINQ
    /// concatenation took a pass of many seconds per billion rows after the last piece, deaf to a cancel.
    /// </summary>
    private static bool[] InDayOrder(SortedDictionary<long, List<bool[]>> labelsByDay, CancellationToken cancel)
    {
        var all = new bool[labelsByDay.Values.Sum(pieces => pieces.Sum(piece => (long)piece.Length))];
        var at = 0L;
        foreach (var piece in labelsByDay.Values.SelectMany(pieces => pieces))
        {
            cancel.ThrowIfCancellationRequested();
            Array.Copy(piece, 0, all, at, piece.Length);
            at += piece.Length;
        }
        return all;
    }
}
