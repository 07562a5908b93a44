using System.Runtime.InteropServices;
using System.Text;

namespace InverseLearning.Data.Simulation;

/// <summary>
/// truth-model.bin: the latent model of the ground truth. Little-endian layout:
/// "ILTRUTH\0", int32 version, int32 users, int32 items, int32 factors, float32 global bias,
/// (version 2) the simulation's <see cref="SimulationStamp"/> in 32 ASCII bytes (zeros for none),
/// then user ids (int64), user biases, user factors (row-major), item ids, item biases, item factors (float32).
/// Version 1, written before stamps, is read too.
/// </summary>
internal static class LatentModelFile
{
    private const int Version = 2, StampBytes = 32;
    private static readonly byte[] Magic = "ILTRUTH\0"u8.ToArray();

    public static void Write(string path, GroundTruth truth)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(new BufferedStream(stream, 1 << 20), Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(truth.UserIds.Count);
            writer.Write(truth.ItemIds.Count);
            writer.Write(truth.Factors);
            writer.Write(truth.GlobalBias);
            var stamp = new byte[StampBytes];
            if (truth.Stamp is { } text) Encoding.ASCII.GetBytes(text, stamp);
            writer.Write(stamp);
            writer.Write(MemoryMarshal.AsBytes(((long[])truth.UserIds).AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(truth.UserBiasSpan));
            writer.Write(MemoryMarshal.AsBytes(truth.UserFactorsSpan));
            writer.Write(MemoryMarshal.AsBytes(((long[])truth.ItemIds).AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(truth.ItemBiasSpan));
            writer.Write(MemoryMarshal.AsBytes(truth.ItemFactorsSpan));
        });
    }

    public static GroundTruth Read(string path)
    {
        InputFile.Require(path, "a ground-truth model file", seekable: false); // read front to back, as a pipe can be
        using var stream = new BufferedStream(File.OpenRead(path), 1 << 20);
        var (users, items, factors, globalBias, stamp) = ReadHeader(stream, path);
        var userIds = ReadArray<long>(stream, users, path, "user ids");
        var userBias = ReadArray<float>(stream, users, path, "user biases");
        var userFactors = ReadArray<float>(stream, users * factors, path, "user factors");
        var itemIds = ReadArray<long>(stream, items, path, "item ids");
        var itemBias = ReadArray<float>(stream, items, path, "item biases");
        var itemFactors = ReadArray<float>(stream, items * factors, path, "item factors");
        if (stream.ReadByte() != -1)
            throw new DataException($"{path}: unexpected bytes after the item factors (file longer than its header says).");
        try
        {
            return new GroundTruth(factors, globalBias, userIds, userBias, userFactors, itemIds, itemBias, itemFactors, []) { Stamp = stamp };
        }
        // The truth checks its tables as it indexes them (an id listed twice): what is wrong is this file.
        catch (DataException e)
        {
            throw DataException.In(path, e.Message, e);
        }
    }

    /// <summary>
    /// The simulation stamp in the header of the model file at <paramref name="path"/> (null for none: version 1, written before
    /// stamps), read without its tables; a file that is no ground-truth model gets a <see cref="DataException"/> naming it.
    /// </summary>
    public static string? StampOf(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadHeader(stream, path).Stamp;
    }

    private static (int Users, int Items, int Factors, float GlobalBias, string? Stamp) ReadHeader(Stream stream, string path)
    {
        var header = new byte[Magic.Length + 5 * sizeof(int)];
        ReadExactly(stream, header, path, "the header");
        if (!header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new DataException($"{path}: not a ground-truth model file (it does not start with \"ILTRUTH\").");
        var fields = MemoryMarshal.Cast<byte, int>(header.AsSpan(Magic.Length));
        if (fields[0] is not (1 or Version))
            throw new DataException($"{path}: ground-truth model version {fields[0]}, this program reads versions 1 and {Version}.");
        int users = fields[1], items = fields[2], factors = fields[3];
        var globalBias = BitConverter.Int32BitsToSingle(fields[4]);
        if (users < 1 || items < 1 || factors < 1)
            throw new DataException($"{path}: header says {users} users, {items} items, {factors} factors; expected positive counts.");

        string? stamp = null;
        if (fields[0] >= 2)
        {
            var bytes = new byte[StampBytes];
            ReadExactly(stream, bytes, path, "the simulation stamp");
            if (bytes.Any(b => b != 0)) stamp = Encoding.ASCII.GetString(bytes);
        }
        return (users, items, factors, globalBias, stamp);
    }

    private static T[] ReadArray<T>(Stream stream, int count, string path, string what) where T : unmanaged
    {
        var values = new T[count];
        ReadExactly(stream, MemoryMarshal.AsBytes(values.AsSpan()), path, what);
        return values;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
            throw new DataException($"{path}: truncated while reading {what} (expected {buffer.Length} bytes, found {read}).");
    }
}
