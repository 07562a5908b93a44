using System.Buffers.Binary;

namespace InverseLearning.Data;

/// <summary>
/// Checks that a Parquet file's footer is whole before the Parquet reader decodes it: the footer (Thrift's compact
/// encoding of the file's metadata) must be one struct that ends exactly where the footer's declared length does.
/// One flipped byte at its end sent the reader past it into a loop that never returned, so this walks the encoding's
/// structure alone (no field is interpreted), with every length bounded by the bytes left and the nesting by a depth.
/// The serving host links this file in (it reads seen.parquet, and has no other use for this project), so it names no
/// exception of either: each caller says what a problem means to it.
/// </summary>
internal static class ParquetFooter
{
    private const int TailLength = 8, MaxDepth = 64;
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>What is wrong with the footer of the Parquet file at <paramref name="path"/>, or null; reads its last bytes only.</summary>
    public static string? Problem(string path)
    {
        using var file = File.OpenRead(path);
        var length = file.Length;
        Span<byte> head = stackalloc byte[Magic.Length];
        var startsAsParquet = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual(Magic);
        // Begun as Parquet and cut short (a copy or a write interrupted): said so, rather than the reader's bytes in hexadecimal.
        if (length < Magic.Length + TailLength) return startsAsParquet ? $"it is {length} bytes, too short for a Parquet file's markers and footer" : null;
        Span<byte> tail = stackalloc byte[TailLength];
        file.Position = length - TailLength;
        file.ReadExactly(tail);
        if (startsAsParquet && !tail[4..].SequenceEqual(Magic)) return "it starts with Parquet's PAR1 marker but does not end with it";
        var footerLength = FooterLength(tail, length, out var problem);
        if (problem is not null || footerLength == 0) return problem;
        var footer = new byte[footerLength];
        file.Position = length - TailLength - footerLength;
        file.ReadExactly(footer);
        return Walk(footer);
    }

    /// <summary>What is wrong with the footer of the Parquet file <paramref name="file"/> (whole, in memory), or null.</summary>
    public static string? Problem(ReadOnlySpan<byte> file)
    {
        if (file.Length < Magic.Length + TailLength) return null;
        var footerLength = FooterLength(file[^TailLength..], file.Length, out var problem);
        return problem ?? (footerLength > 0 ? Walk(file.Slice(file.Length - TailLength - footerLength, footerLength)) : null);
    }

    /// <summary>The footer's length from the file's last 8 bytes; 0 (and no problem) when they are not Parquet's: the reader says so.</summary>
    private static int FooterLength(ReadOnlySpan<byte> tail, long fileLength, out string? problem)
    {
        problem = null;
        if (!tail[4..].SequenceEqual(Magic)) return 0;
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > fileLength - Magic.Length - TailLength)
            problem = $"its footer length {(uint)footerLength} does not fit the file's {fileLength} bytes"; // the format's length is unsigned
        return footerLength;
    }

    private static string? Walk(ReadOnlySpan<byte> footer)
    {
        var reader = new CompactReader(footer);
        return reader.TrySkipValue(CompactReader.Struct, 0, inField: true) && reader.Position == footer.Length
            ? null : "its footer is not one whole metadata record";
    }

    /// <summary>Thrift's compact protocol, skipped value by value; false on anything that runs past the end or nests too deep.</summary>
    private ref struct CompactReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        public int Position { get; private set; }

        public const byte BoolTrue = 1, BoolFalse = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12;

        public bool TrySkipValue(int type, int depth, bool inField)
        {
            // Every nesting (struct, list, set, map) goes through here: a footer of nested one-element lists must not exhaust the stack.
            if (depth > MaxDepth) return false;
            switch (type)
            {
                case BoolTrue or BoolFalse: return inField || TryAdvance(1); // a field's bool is its type; a list's takes a byte
                case Byte: return TryAdvance(1);
                case I16 or I32 or I64: return TryReadVarint(out _);
                case Double: return TryAdvance(8);
                case Binary: return TryReadVarint(out var length) && TryAdvance(length);
                case List or Set: return TrySkipList(depth);
                case Map: return TrySkipMap(depth);
                case Struct: return TrySkipStruct(depth);
                default: return false;
            }
        }

        private bool TrySkipStruct(int depth)
        {
            while (true)
            {
                if (!TryReadByte(out var header)) return false;
                if (header == 0) return true; // the struct's end
                if (header >> 4 == 0 && !TryReadVarint(out _)) return false; // a field id given in full
                if (!TrySkipValue(header & 0x0F, depth + 1, inField: true)) return false;
            }
        }

        private bool TrySkipList(int depth)
        {
            if (!TryReadByte(out var header)) return false;
            var size = (ulong)(header >> 4);
            if (size == 15 && !TryReadVarint(out size)) return false;
            // Every element takes at least one byte: a size past the bytes left is damage, not a long list.
            if (size > (ulong)(_bytes.Length - Position)) return false;
            for (var i = 0UL; i < size; i++)
                if (!TrySkipValue(header & 0x0F, depth + 1, inField: false)) return false;
            return true;
        }

        private bool TrySkipMap(int depth)
        {
            if (!TryReadVarint(out var size)) return false;
            if (size == 0) return true;
            if (size > (ulong)(_bytes.Length - Position) || !TryReadByte(out var types)) return false;
            for (var i = 0UL; i < size; i++)
                if (!TrySkipValue(types >> 4, depth + 1, inField: false) || !TrySkipValue(types & 0x0F, depth + 1, inField: false)) return false;
            return true;
        }

        private bool TryReadByte(out byte value)
        {
            value = 0;
            if (Position >= _bytes.Length) return false;
            value = _bytes[Position++];
            return true;
        }

        private bool TryAdvance(ulong count)
        {
            if (count > (ulong)(_bytes.Length - Position)) return false;
            Position += (int)count;
            return true;
        }

        private bool TryReadVarint(out ulong value)
        {
            value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (!TryReadByte(out var b)) return false;
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return true;
            }
            return false;
        }
    }
}
