using System.Buffers.Binary;
using System.Security.Cryptography;

namespace InverseLearning.Data;

/// <summary>
/// What tells a Parquet part rewritten, read from its end alone: its length in bytes and a SHA-256 of its footer, the file's
/// metadata (every row group's offsets and sizes, every column chunk's statistics), which rows of other values change even
/// when as many. Not a hash of the whole file: a lake's parts can be gigabytes, and eval reads them all. No write time either, as
/// <see cref="FileStamp"/> holds for the length of one process: a lake copied elsewhere keeps its parts' stamps.
/// </summary>
public sealed record PartStamp(long Bytes, string FooterSha256)
{
    private const int TailLength = 8;

    /// <summary>The stamp of the Parquet file at <paramref name="path"/> (its footer already found whole by the reader that opened it).</summary>
    public static PartStamp Of(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> tail = stackalloc byte[TailLength];
        if (file.Length < TailLength) throw DataException.In(path, $"it is {file.Length} bytes, too short for a Parquet file's footer");
        file.Position = file.Length - TailLength;
        file.ReadExactly(tail);
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > file.Length - TailLength)
            throw DataException.In(path, $"its footer length {(uint)footerLength} does not fit the file's {file.Length} bytes: the file is damaged or truncated");
        var footer = new byte[footerLength];
        file.Position = file.Length - TailLength - footerLength;
        file.ReadExactly(footer);
        return new PartStamp(file.Length, Convert.ToHexStringLower(SHA256.HashData(footer)));
    }

    /// <summary>
    /// The stamp of a part listed or opened a moment ago; one gone since (its partition's folder too) is a <see cref="DataException"/>
    /// "PATH: removed while <paramref name="reading"/>", where .NET's "Could not find file" said nothing of why.
    /// </summary>
    public static PartStamp OfListed(string path, string reading)
    {
        try
        {
            return Of(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Removed(path, reading, e);
        }
    }

    /// <summary>A part found gone since it was listed or opened, told as removed while <paramref name="reading"/>.</summary>
    public static DataException Removed(string path, string reading, Exception missing) => new($"{path}: removed while {reading}", missing);

    /// <summary>What differs between the stamp a run recorded (this) and <paramref name="now"/>'s, in words; null when nothing does.</summary>
    public string? Change(PartStamp now) =>
        Bytes != now.Bytes ? $"{Bytes:N0} bytes, now {now.Bytes:N0}"
        : FooterSha256 != now.FooterSha256 ? $"as many bytes, {Bytes:N0}, but another footer (its row groups' offsets or statistics differ)"
        : null;
}
