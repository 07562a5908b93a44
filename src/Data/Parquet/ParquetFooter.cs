using System.Buffers.Binary;

namespace InverseLearning.Data;

/// <summary>
/// Checks that a Parquet file's footer is whole before the Parquet reader decodes it: the footer (Thrift's compact
/// encoding of the file's metadata) must be one struct that ends exactly where the footer's declared length does.
/// One flipped byte at its end sent the reader past it into a loop that never returned, so this walks the encoding's
/// structure alone (no field is interpreted), with every length bounded by the bytes left.
/// </summary>
public static class ParquetFooter
{
    private const int TailLength = 8, MaxDepth = 64;
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>Throws a <see cref="DataException"/> naming <paramref name="path"/> when its footer is not whole.</summary>
    public static void Check(string path)
    {
        using var file = File.OpenRead(path);
        var length = file.Length;
        Span<byte> tail = stackalloc byte[TailLength];
        if (length < Magic.Length + TailLength) return; // too short to be Parquet: the reader says so
        file.Position = length - TailLength;
        file.ReadExactly(tail);
        if (!tail[4..].SequenceEqual(Magic)) return; // not Parquet at all: the reader says so
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - Magic.Length - TailLength)
            throw Damaged(path, $"its footer length {footerLength} does not fit the file's {length} bytes");
        var footer = new byte[footerLength];
        file.Position = length - TailLength - footerLength;
        file.ReadExactly(footer);
        var reader = new CompactReader(footer);
        if (!reader.TrySkipStruct(0) || reader.Position != footer.Length)
            throw Damaged(path, "its footer is not one whole metadata record");
    }

    private static DataException Damaged(string path, string why) => new($"{path}: not a readable Parquet file ({why}: the file is damaged or truncated)");

    /// <summary>Thrift's compact protocol, skipped value by value; false on anything that runs past the end.</summary>
    private ref struct CompactReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        public int Position { get; private set; }

        private const byte BoolTrue = 1, BoolFalse = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12;

        public bool TrySkipStruct(int depth)
        {
            if (depth > MaxDepth) return false;
            while (true)
            {
                if (!TryReadByte(out var header)) return false;
                if (header == 0) return true; // the struct's end
                if (header >> 4 == 0 && !TryReadVarint(out _)) return false; // a field id given in full
                if (!TrySkipValue(header & 0x0F, depth, inField: true)) return false;
            }
        }

        private bool TrySkipValue(int type, int depth, bool inField)
        {
            switch (type)
            {
                case BoolTrue or BoolFalse: return inField || TryAdvance(1); // a field's bool is its type; a list's takes a byte
                case Byte: return TryAdvance(1);
                case I16 or I32 or I64: return TryReadVarint(out _);
                case Double: return TryAdvance(8);
                case Binary: return TryReadVarint(out var length) && TryAdvance(length);
                case List or Set: return TrySkipList(depth);
                case Map: return TrySkipMap(depth);
                case Struct: return TrySkipStruct(depth + 1);
                default: return false;
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
