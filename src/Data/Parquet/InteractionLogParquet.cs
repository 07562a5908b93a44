using Parquet;

namespace InverseLearning.Data;

/// <summary>
/// Interaction logs as Parquet files. Schema: user_id int64, item_id int64 (required),
/// timestamp int64 ms (optional), play_time_ms int64, duration_ms int64, rating float,
/// like bool, hate bool (optional, nullable), split string (optional: train/valid/test).
/// </summary>
public static class InteractionLogParquet
{
    /// <summary>Rows per written row group: large enough for fast scans, small enough to keep read buffers modest.</summary>
    public const int RowGroupSize = 1 << 20;

    /// <summary>Reads a whole log; bad input throws <see cref="DataException"/> (or, with Skip, is counted in <see cref="InteractionLog.SkippedRows"/>).</summary>
    public static InteractionLog Read(string path, ReadOptions? options = null)
    {
        var reader = new ParquetLogReader(path, options ?? new ReadOptions());
        return Synchronously.Run(reader.ReadAsync);
    }

    /// <summary>Writes <paramref name="log"/> atomically (a reader sees the old file or the whole new one); a cancelled write leaves the old.</summary>
    /// <param name="metadata">Key-value pairs for the footer: datagen's <see cref="Simulation.SimulationStamp"/>.</param>
    public static void Write(InteractionLog log, string path, CancellationToken cancel = default, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream =>
        {
            Synchronously.Run(() => ParquetLogWriter.WriteAsync(log, stream, metadata, cancel));
            cancel.ThrowIfCancellationRequested(); // after the last row group too, before the file is renamed into place
        });

    /// <summary>The number of rows the file's footer declares (cheap: no data is read).</summary>
    public static long CountRows(string path)
    {
        InputFile.Require(path);
        return Synchronously.Run(async () =>
        {
            try
            {
                ParquetPart.RequireWholeFooter(path);
                await using var reader = await ParquetReader.CreateAsync(path);
                var total = 0L;
                for (var g = 0; g < reader.RowGroupCount; g++)
                    total += reader.OpenRowGroupReader(g).RowCount;
                return total;
            }
            catch (Exception e) when (e is not DataException)
            {
                throw new DataException($"{path}: not a readable Parquet file ({e.Message})", e);
            }
        });
    }
}
