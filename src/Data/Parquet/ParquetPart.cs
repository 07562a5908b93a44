using Parquet;
using Parquet.Schema;

namespace InverseLearning.Data;

/// <summary>One open Parquet log file: its reader, the log columns its schema has, and the row count its footer declares.</summary>
internal sealed class ParquetPart : IAsyncDisposable
{
    private ParquetPart(string path, ParquetReader reader, LogColumns columns, long rows)
    {
        Path = path;
        Reader = reader;
        Columns = columns;
        Rows = rows;
    }

    public string Path { get; }
    public ParquetReader Reader { get; }
    public LogColumns Columns { get; }
    public long Rows { get; }

    /// <summary>The footer's key-value metadata (datagen's <see cref="Simulation.SimulationStamp"/>).</summary>
    public IReadOnlyDictionary<string, string> Metadata => Reader.CustomMetadata;

    /// <summary>
    /// Opens <paramref name="path"/> (which must exist) and checks its schema and its row groups' counts; reads the footer only.
    /// A footer damaged in a way the Parquet reader accepts is caught here, before any row is read or allocated for.
    /// </summary>
    public static async Task<ParquetPart> OpenAsync(string path)
    {
        ParquetReader reader;
        InputFile.Require(path);
        try
        {
            RequireWholeFooter(path);
            reader = await ParquetReader.CreateAsync(path);
        }
        catch (Exception e) when (e is not DataException)
        {
            throw DataException.In(path, $"not a readable Parquet file ({Unreadable(e)})", e);
        }
        try
        {
            LogColumns columns;
            try
            {
                columns = LogColumns.Resolve(path, reader.Schema);
            }
            catch (Exception e) when (e is not DataException)
            {
                throw DataException.In(path, $"its schema cannot be read, the file is damaged ({e.Message})", e);
            }
            var rows = 0L;
            DataField[] fields = [columns.UserId, columns.ItemId, .. columns.Optional.Select(c => c.Field).OfType<DataField>()];
            for (var g = 0; g < reader.RowGroupCount; g++)
                rows += CheckedRowGroup(path, reader, g, fields);
            return new ParquetPart(path, reader, columns, rows);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Refuses the part when its bytes before the footer are not those its <see cref="ContentDigest"/> was taken of (a part without
    /// one is not checked). Reads the whole file once more: called by the reads that read its rows, not by those of its footer alone.
    /// </summary>
    public void RequireIntactContent() => RequireIntactContent(Path, Metadata);

    /// <summary>The same for any Parquet file this project writes, whose footer holds <paramref name="metadata"/>.</summary>
    public static void RequireIntactContent(string path, IReadOnlyDictionary<string, string> metadata)
    {
        if (ContentDigest.Problem(path, metadata) is { } problem) throw DataException.In(path, problem);
    }

    /// <summary>
    /// Why the reader could not open a file: an I/O failure's own words, but not the messages (nor the type names) of the reader's
    /// failures on a damaged footer, which are programming errors' ("Object reference not set to an instance of an object").
    /// </summary>
    internal static string Unreadable(Exception e) =>
        e is IOException or UnauthorizedAccessException or NotSupportedException ? e.Message : "its metadata could not be decoded: the footer is damaged";

    /// <summary>Refuses a file whose footer <see cref="ParquetFooter"/> finds damaged, before the Parquet reader decodes it.</summary>
    public static void RequireWholeFooter(string path)
    {
        if (ParquetFooter.Problem(path) is { } problem) throw DataException.In(path, $"not a readable Parquet file ({problem}: the file is damaged or truncated)");
    }

    /// <summary>
    /// Row group <paramref name="g"/>'s rows, once its count is one a group can have and each of <paramref name="fields"/> (flat
    /// columns) holds that many values (nulls count as values in a flat column): a count that says more would have the reader
    /// make rows up, one that says fewer would have it leave another column's values in place.
    /// </summary>
    public static long CheckedRowGroup(string path, ParquetReader reader, int g, IEnumerable<DataField> fields)
    {
        using var group = reader.OpenRowGroupReader(g);
        var rows = group.RowCount;
        if (rows < 0 || rows > Array.MaxLength)
            throw DataException.In(path, $"row group {g} declares {rows} rows, which no row group can hold: the file is damaged");
        foreach (var field in fields)
        {
            var values = group.GetMetadata(field)?.MetaData?.NumValues;
            if (values != rows)
                throw DataException.In(path, $"column '{field.Name}' of row group {g} holds {values?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} values for the group's {rows} rows: the file is damaged");
        }
        return rows;
    }

    public ValueTask DisposeAsync() => Reader.DisposeAsync();
}
