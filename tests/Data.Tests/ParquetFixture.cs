using Parquet;
using Parquet.Schema;

namespace InverseLearning.Data.Tests;

/// <summary>Writes Parquet files with any schema (including wrong ones) straight through Parquet.Net, independent of the code under test.</summary>
public static class ParquetFixture
{
    public sealed record Column(DataField Field, Array Values);

    public static Column Int64(string name, params long[] values) => new(new DataField<long>(name), values);
    public static Column NullableInt64(string name, params long?[] values) => new(new DataField<long?>(name), values);
    public static Column NullableFloat(string name, params float?[] values) => new(new DataField<float?>(name), values);
    public static Column Double(string name, params double[] values) => new(new DataField<double>(name), values);
    public static Column Int32(string name, params int[] values) => new(new DataField<int>(name), values);
    public static Column NullableBool(string name, params bool?[] values) => new(new DataField<bool?>(name), values);
    public static Column Text(string name, params string?[] values) => new(new DataField<string>(name), values);

    /// <summary>Writes the columns as row groups of at most <paramref name="rowGroupSize"/> rows.</summary>
    public static void Write(string path, int rowGroupSize, params Column[] columns)
    {
        Task.Run(async () =>
        {
            await using var stream = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()), stream);
            var rows = columns[0].Values.Length;
            for (var start = 0; start < rows; start += rowGroupSize)
            {
                var count = Math.Min(rowGroupSize, rows - start);
                using var group = writer.CreateRowGroup();
                foreach (var column in columns)
                    await WriteColumn(group, column, start, count);
            }
        }).GetAwaiter().GetResult();
    }

    public static void Write(string path, params Column[] columns) => Write(path, int.MaxValue, columns);

    private static async Task WriteColumn(ParquetRowGroupWriter group, Column column, int start, int count)
    {
        switch (column.Values)
        {
            case long[] v: await group.WriteAsync<long>(column.Field, v.AsMemory(start, count)); break;
            case long?[] v: await group.WriteAsync<long>(column.Field, (ReadOnlyMemory<long?>)v.AsMemory(start, count)); break;
            case float?[] v: await group.WriteAsync<float>(column.Field, (ReadOnlyMemory<float?>)v.AsMemory(start, count)); break;
            case bool?[] v: await group.WriteAsync<bool>(column.Field, (ReadOnlyMemory<bool?>)v.AsMemory(start, count)); break;
            case double[] v: await group.WriteAsync<double>(column.Field, v.AsMemory(start, count)); break;
            case int[] v: await group.WriteAsync<int>(column.Field, v.AsMemory(start, count)); break;
            case string?[] v: await group.WriteAsync(column.Field, new ArraySegment<string?>(v, start, count)!); break;
            default: throw new NotSupportedException(column.Values.GetType().Name);
        }
    }
}
