using Parquet;

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

    /// <summary>Opens <paramref name="path"/> (which must exist) and checks its schema; reads the footer only.</summary>
    public static async Task<ParquetPart> OpenAsync(string path)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path);
        }
        catch (Exception e)
        {
            throw new DataException($"{path}: not a readable Parquet file ({e.Message})", e);
        }
        try
        {
            var columns = LogColumns.Resolve(path, reader.Schema);
            var rows = 0L;
            for (var g = 0; g < reader.RowGroupCount; g++)
                rows += reader.OpenRowGroupReader(g).RowCount;
            return new ParquetPart(path, reader, columns, rows);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Reader.DisposeAsync();
}
