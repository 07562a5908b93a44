namespace InverseLearning.Data.Simulation;

/// <summary>
/// The memory a simulation takes at its peak, from its sizes, so that datagen refuses one that does not fit before it
/// allocates. Calibrated on peak RSS of `datagen --preset tiny` (BENCHMARKS.md, "Data pipeline", datagen's memory), which
/// measured 59 bytes an impression held (the log's columns, the drawn items, raw scores, labels and the Parquet writer's copy of
/// a column), about 90 a video and 110 a user at 4 factors, and 106 MiB of runtime and libraries; the constants below are those
/// figures with a margin (64 bytes, 112 and 128 at 4 factors, 144 MiB).
/// </summary>
public static class SimulationMemoryEstimate
{
    public const long BaselineBytes = 144L << 20;
    public const long BytesPerHeldImpression = 64;

    /// <summary>A whole log written as daily partitions: its rows listed per day and copied, and its labels reordered (measured 23).</summary>
    public const long BytesPerPartitionedImpression = 24;

    /// <summary>
    /// The most impressions a piece of a simulation in pieces of <paramref name="rowsPerChunk"/> holds: the chunk, or the most active
    /// user's impressions where they are more, since a user is never split (<see cref="FeedSimulator.RunInChunks"/>). Users' counts are
    /// drawn from the seed before any impression, so they are drawn here as the simulation will (only where a user could exceed the
    /// chunk: never beyond the catalogue, nor the impressions left once every other user has one).
    /// </summary>
    /// <param name="progress">Told the share drawn, where the counts are drawn (as long as drawing the world takes).</param>
    /// <param name="cancel">Checked as the counts are drawn.</param>
    public static int LargestPiece(SimulatorOptions o, int seed, int rowsPerChunk, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(o);
        var mostOneUserCanHave = Math.Min(o.Items, o.Impressions - o.Users + 1);
        return mostOneUserCanHave <= rowsPerChunk ? rowsPerChunk : Math.Max(rowsPerChunk, SimulatedWorld.LargestUserImpressions(o, seed, progress, cancel));
    }

    /// <param name="rowsPerPiece">With a lake written in pieces, the most impressions a piece holds; null for a log simulated whole.</param>
    /// <param name="partitioned">Whether the log is written as daily partitions (`--partition-by day`).</param>
    public static long Bytes(SimulatorOptions o, int? rowsPerPiece, bool partitioned = false) => Of(o, rowsPerPiece, partitioned).Total;

    /// <summary>What <see cref="Bytes"/> is made of, so that a refusal can say which sizes to lower.</summary>
    public static Parts Of(SimulatorOptions o, int? rowsPerPiece, bool partitioned = false)
    {
        ArgumentNullException.ThrowIfNull(o);
        long held = rowsPerPiece is { } piece ? Math.Min(piece, o.Impressions) : o.Impressions;
        // The pieces' truth labels are kept, a byte each, until the truth is saved, and then copied into one array.
        var labelsKept = rowsPerPiece is null ? 0 : 2L * o.Impressions;
        var perUser = 96L + 8 * o.Factors;
        // Each parallel worker marks the videos its user has seen in an array of its own.
        var perItem = 80L + 8 * o.Factors + sizeof(int) * Environment.ProcessorCount;
        var partitioning = partitioned && rowsPerPiece is null ? o.Impressions * BytesPerPartitionedImpression : 0;
        return new Parts(held * BytesPerHeldImpression + labelsKept + partitioning, o.Users * perUser, o.Items * perItem);
    }

    /// <summary>The estimate's parts: the impressions held (and their labels and partitioning), the users', the videos', and <see cref="BaselineBytes"/>.</summary>
    public readonly record struct Parts(long Impressions, long Users, long Items)
    {
        public long Total => BaselineBytes + Impressions + Users + Items;
    }
}
