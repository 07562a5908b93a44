namespace InverseLearning.Training.Artifacts;

/// <summary>
/// CRC-32 as zlib, gzip and PNG compute it (reflected polynomial 0xEDB88320, initial and
/// final XOR 0xFFFFFFFF), fed incrementally. Slicing-by-8: eight bytes per table round, so
/// checksumming a checkpoint costs little beside writing it.
/// </summary>
public sealed class Crc32
{
    private static readonly uint[][] Tables = BuildTables();
    private uint _state = 0xFFFFFFFFu;

    public uint Value => ~_state;

    public static uint Of(ReadOnlySpan<byte> bytes)
    {
        var crc = new Crc32();
        crc.Append(bytes);
        return crc.Value;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        var t = Tables;
        var crc = _state;
        while (bytes.Length >= 8)
        {
            var low = crc ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes);
            var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
            crc = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^ t[5][(low >> 16) & 0xFF] ^ t[4][low >> 24]
                ^ t[3][high & 0xFF] ^ t[2][(high >> 8) & 0xFF] ^ t[1][(high >> 16) & 0xFF] ^ t[0][high >> 24];
            bytes = bytes[8..];
        }
        foreach (var b in bytes) crc = t[0][(crc ^ b) & 0xFF] ^ (crc >> 8);
        _state = crc;
    }

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        tables[0] = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            tables[0][n] = c;
        }
        // tables[s][n]: the CRC of byte n followed by s zero bytes.
        for (var s = 1; s < 8; s++)
        {
            tables[s] = new uint[256];
            for (var n = 0; n < 256; n++) tables[s][n] = tables[0][tables[s - 1][n] & 0xFF] ^ (tables[s - 1][n] >> 8);
        }
        return tables;
    }
}
