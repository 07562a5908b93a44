using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace InverseLearning.Data.Import;

/// <summary>
/// Whether a line of a ratings file is UTF-8 text. A Latin-1 or UTF-16 file's bytes decode as replacement characters, and
/// each bad line was then quoted as "found '��'": the encoding, which is what is wrong, is told instead, at its first line.
/// </summary>
internal static class TextEncodingCheck
{
    private static ReadOnlySpan<byte> LittleEndianMark => [0xFF, 0xFE];
    private static ReadOnlySpan<byte> BigEndianMark => [0xFE, 0xFF];

    /// <summary>Null for UTF-8 text; otherwise why the line is not, and how to convert the file.</summary>
    public static string? Problem(ReadOnlySpan<byte> line, bool first)
    {
        // A compressed file's bytes hold NULs and invalid UTF-8 alike: told as UTF-16 or Latin-1, its advice (iconv) would make garbage.
        if (first && Compression(line) is var (format, decompress))
            return $"not text: it is {format}; decompress it first, e.g. {decompress}";
        // A Parquet file (an imported log, say) was told as UTF-16, its footer's and pages' NULs read as UTF-16's.
        if (first && line.StartsWith("PAR1"u8) && (line.Contains((byte)0) || !Utf8.IsValid(line)))
            return "not text: it is a Parquet file (it starts with PAR1), a log already: give it to train, inspect or eval as --data";
        // UTF-16 writes a NUL byte beside every ASCII character; its byte-order mark is not UTF-8's (which the reader drops).
        var marked = first && (line.StartsWith(LittleEndianMark) || line.StartsWith(BigEndianMark));
        if (marked || line.Contains((byte)0))
            return $"not UTF-8 text: it looks like UTF-16 (NUL bytes, or UTF-16's byte-order mark); convert it first, e.g. iconv -f {Utf16Name(line, marked)} -t UTF-8";
        if (Utf8.IsValid(line)) return null;
        var offset = 0;
        while (Rune.DecodeFromUtf8(line[offset..], out _, out var used) == OperationStatus.Done) offset += used;
        return $"not UTF-8 text: byte 0x{line[offset]:X2} at byte {offset + 1} of the line is not UTF-8 (Latin-1 or Windows-1252, say); " +
            "convert it first, e.g. iconv -f LATIN1 -t UTF-8";
    }

    /// <summary>The compressed or archive format whose magic bytes open the file, and the command that unpacks it; null for none.</summary>
    private static (string Format, string Decompress)? Compression(ReadOnlySpan<byte> start) =>
        start.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) ? ("gzip-compressed", "gunzip FILE, or --input <(zcat FILE)")
        : start.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]) ? ("zstd-compressed", "zstd -d FILE, or --input <(zstdcat FILE)")
        : start.StartsWith((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]) ? ("xz-compressed", "unxz FILE, or --input <(xzcat FILE)")
        // "BZh", the block size 1–9, then the first block's magic: a header line of words cannot start so.
        : start.Length >= 10 && start.StartsWith("BZh"u8) && start[3] is >= (byte)'1' and <= (byte)'9' && start[4..].StartsWith((ReadOnlySpan<byte>)[0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
            ? ("bzip2-compressed", "bunzip2 FILE, or --input <(bzcat FILE)")
        : start.StartsWith("PK\u0003\u0004"u8) ? ("a zip archive", "unzip FILE")
        : null;

    /// <summary>
    /// iconv's name for the file's UTF-16: with a byte-order mark, plain UTF-16 (iconv follows the mark); without one iconv reads
    /// big-endian, so the order is told from the first NUL, beside an ASCII character's byte: after it (odd offset) little-endian.
    /// </summary>
    private static string Utf16Name(ReadOnlySpan<byte> line, bool marked) =>
        marked ? "UTF-16" : line.IndexOf((byte)0) % 2 == 1 ? "UTF-16LE" : "UTF-16BE";
}
