using Parquet;
using Parquet.Schema;

namespace InverseLearning.Data;

/// <summary>
/// Writes a Parquet file whose footer records its <see cref="ContentDigest"/>, taken of the bytes as they pass to the
/// output: every Parquet file this project writes (logs, lake parts, seen lists, ground truth) goes through here.
/// </summary>
internal static class DigestedParquetWriter
{
    /// <param name="metadata">Key-value pairs for the footer besides the digest, or none.</param>
    /// <param name="writeRowGroups">Writes the row groups; the footer follows them.</param>
    public static async Task WriteAsync(ParquetSchema schema, Stream output, IReadOnlyDictionary<string, string>? metadata, Func<ParquetWriter, Task> writeRowGroups)
    {
        await using var hashing = new HashingWriteStream(output);
        await using var writer = await ParquetWriter.CreateAsync(schema, hashing);
        await writeRowGroups(writer);
        // Parquet.Net writes the footer, with these pairs, as it is disposed, and writes straight through (no seek, no buffering of
        // its own: the hashing stream would refuse a seek, and a test reads every written file's digest back): the bytes hashed
        // now are exactly those before the footer.
        writer.CustomMetadata = ContentDigest.With(metadata, hashing.Digest());
    }
}
