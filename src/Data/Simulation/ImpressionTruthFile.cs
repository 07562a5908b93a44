using Parquet;
using Parquet.Schema;

namespace InverseLearning.Data.Simulation;

/// <summary>truth.parquet: one column `true_label` (bool), one row per impression in the log's row order; the footer holds the simulation's <see cref="SimulationStamp"/>.</summary>
internal static class ImpressionTruthFile
{
    private const int RowGroupSize = 1 << 20;
    private static readonly DataField<bool> TrueLabel = new("true_label");

    public static void Write(string path, bool[] labels, string? stamp) =>
        AtomicFile.Write(path, stream => Synchronously.Run(() => WriteAsync(stream, labels, stamp)));

    public static bool[] Read(string path) => Guarded(path, () => ReadAsync(path, values: true)).Labels;

    /// <summary>Checks the file's footer and schema as <see cref="Read"/> would, reading no value; returns the impressions it holds and its stamp.</summary>
    public static (long Count, string? Stamp) Count(string path)
    {
        var (_, count, stamp) = Guarded(path, () => ReadAsync(path, values: false));
        return (count, stamp);
    }

    private static (bool[] Labels, long Count, string? Stamp) Guarded(string path, Func<Task<(bool[], long, string?)>> read)
    {
        InputFile.Require(path, "a ground-truth impressions file");
        try
        {
            return Synchronously.Run(read);
        }
        catch (Exception e) when (e is not DataException)
        {
            throw new DataException($"{path}: unreadable ground-truth impressions file ({e.Message}).", e);
        }
    }

    private static async Task WriteAsync(Stream stream, bool[] labels, string? stamp)
    {
        await DigestedParquetWriter.WriteAsync(new ParquetSchema(TrueLabel), stream, SimulationStamp.Metadata(stamp), async writer =>
        {
            var start = 0;
            do
            {
                var length = Math.Min(RowGroupSize, labels.Length - start);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<bool>(TrueLabel, labels.AsMemory(start, length));
                start += length;
            } while (start < labels.Length);
        });
    }

    private static async Task<(bool[], long, string?)> ReadAsync(string path, bool values)
    {
        ParquetPart.RequireWholeFooter(path);
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var field = reader.Schema.GetDataFields().FirstOrDefault(f => f.Name == "true_label")
            ?? throw new DataException($"{path}: missing column true_label.");
        if (field.ClrType != typeof(bool) || field.IsNullable)
            throw new DataException($"{path}: column true_label must be a non-null bool, found {field.ClrType.Name}{(field.IsNullable ? "?" : "")}.");
        var total = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
            total += ParquetPart.CheckedRowGroup(path, reader, g, [field]);
        var stamp = SimulationStamp.In(reader.CustomMetadata);
        if (!values) return ([], total, stamp);
        ParquetPart.RequireIntactContent(path, reader.CustomMetadata);
        var labels = new bool[total];
        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            await group.ReadAsync<bool>(field, labels.AsMemory(offset, count));
            offset += count;
        }
        return (labels, total, stamp);
    }
}
