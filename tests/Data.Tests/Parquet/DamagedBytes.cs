using Parquet;
using Parquet.Schema;

namespace InverseLearning.Data.Tests.Parquet;

/// <summary>Damage that Parquet.Net does not notice: one flipped bit in a file's data that still decodes, to other values.</summary>
internal static class DamagedBytes
{
    /// <summary>
    /// Flips the lowest bit of the first byte after the leading marker whose flip Parquet.Net (read straight, not through the code
    /// under test) still decodes, into values other than the file's; returns its offset. Fails the test when no byte does.
    /// </summary>
    public static long FlipOneThatStillDecodes(string path)
    {
        var clean = File.ReadAllBytes(path);
        var values = Decoded(clean)!;
        var footerStart = clean.Length - 8 - BitConverter.ToInt32(clean, clean.Length - 8);
        for (var offset = 4; offset < footerStart; offset++)
        {
            var damaged = (byte[])clean.Clone();
            damaged[offset] ^= 1;
            if (Decoded(damaged) is not { } read || read.SequenceEqual(values)) continue;
            File.WriteAllBytes(path, damaged);
            return offset;
        }
        Assert.Fail($"{path}: no flipped byte before the footer decodes into other values");
        return -1;
    }

    /// <summary>Every value of every column, as text, in file order; null when Parquet.Net cannot decode the file.</summary>
    private static List<string>? Decoded(byte[] file)
    {
        try
        {
            return Task.Run(async () =>
            {
                var values = new List<string>();
                await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    foreach (var field in reader.Schema.GetDataFields())
                    {
                        var rows = (int)group.RowCount;
                        values.AddRange(field.ClrType == typeof(long) ? await Read<long>(group, field, rows)
                            : field.ClrType == typeof(float) ? await Read<float>(group, field, rows)
                            : field.ClrType == typeof(bool) ? await Read<bool>(group, field, rows)
                            : throw new NotSupportedException(field.ClrType.Name));
                    }
                }
                return values;
            }).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static async Task<IEnumerable<string>> Read<T>(ParquetRowGroupReader group, DataField field, int rows) where T : struct
    {
        if (!field.IsNullable)
        {
            var values = new T[rows];
            await group.ReadAsync<T>(field, values.AsMemory());
            return values.Select(v => $"{v}");
        }
        var nullable = new T?[rows];
        await group.ReadAsync<T>(field, nullable.AsMemory());
        return nullable.Select(v => $"{v}");
    }
}
