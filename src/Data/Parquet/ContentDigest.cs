using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace InverseLearning.Data;

/// <summary>
/// A SHA-256 of a Parquet file's bytes before its footer (its marker and every data page), which every Parquet file this project
/// writes records in its footer's key-value metadata under <see cref="Key"/> (<c>DigestedParquetWriter</c>). Parquet.Net
/// neither writes nor checks the format's optional page checksums, so without it a flipped bit in a page that still decodes is
/// read as other values. The footer itself is covered by its own structure check (<see cref="ParquetFooter"/>) and, in a lake, by
/// <c>PartStamp</c>. A file without the key (another tool's, or one written before it) is not checked. The serving host
/// links this file in: it names no exception, each caller says what a problem means to it.
/// </summary>
internal static class ContentDigest
{
    public const string Key = "inverselearning.content_sha256";

    private const int TailLength = 8;

    /// <summary>What a file whose bytes no longer match its recorded digest is told as.</summary>
    public const string Mismatch =
        "damaged or altered after it was written: its content digest differs (the SHA-256 of its data is not the one its footer recorded); restore it or write it again";

    /// <summary><paramref name="metadata"/> (or none) with <paramref name="digest"/> added under <see cref="Key"/>.</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string>? metadata, string digest) =>
        new(metadata ?? new Dictionary<string, string>()) { [Key] = digest };

    /// <summary>
    /// <see cref="Mismatch"/> when the Parquet file at <paramref name="path"/>, whose footer holds <paramref name="metadata"/>, has
    /// other bytes before its footer than those its digest was taken of; null when they match or the footer records no digest.
    /// Reads the whole file.
    /// </summary>
    public static string? Problem(string path, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(Key, out var recorded)) return null;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        Span<byte> tail = stackalloc byte[TailLength];
        if (file.Length < TailLength) return Mismatch;
        file.Position = file.Length - TailLength;
        file.ReadExactly(tail);
        var contentLength = ContentLength(tail, file.Length);
        if (contentLength < 0) return Mismatch;
        file.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            for (var left = contentLength; left > 0;)
            {
                var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0) return Mismatch; // cut short since its footer was read
                hash.AppendData(buffer, 0, read);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Matches(recorded, hash.GetCurrentHash()) ? null : Mismatch;
    }

    /// <summary>The same for a Parquet file read whole into <paramref name="file"/>.</summary>
    public static string? Problem(ReadOnlySpan<byte> file, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(Key, out var recorded)) return null;
        if (file.Length < TailLength) return Mismatch;
        var contentLength = ContentLength(file[^TailLength..], file.Length);
        return contentLength >= 0 && Matches(recorded, SHA256.HashData(file[..(int)contentLength])) ? null : Mismatch;
    }

    /// <summary>Where the footer starts, from the file's last 8 bytes (its length, then PAR1); -1 when the length does not fit.</summary>
    private static long ContentLength(ReadOnlySpan<byte> tail, long fileLength)
    {
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        var contentLength = fileLength - TailLength - footerLength;
        return footerLength > 0 && contentLength >= 0 ? contentLength : -1;
    }

    private static bool Matches(string recorded, byte[] digest) => string.Equals(recorded, Convert.ToHexStringLower(digest), StringComparison.Ordinal);
}
