using System.Runtime.InteropServices;
using InverseLearning.Data;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// The rows a shard owns, as arrays: per table and slot, rows × width floats in slot order,
/// the row updates applied to them, and the run's best-so-far copy of them (kept here, not on
/// the coordinator, so its memory does not grow with the tables). Saved to and loaded from one
/// file (atomically replaced): "ILSHARD4", then int32 tables, state slots, persist-every, int64
/// updates, int64 generation, the widths and row counts, every tensor's floats, then int64 the best copy's id
/// (0: none) and, when there is one, its tensors' floats, last the CRC-32 of everything before it (uint32); all
/// little-endian. Earlier builds' snapshots, met in a rolling update, are read as well: "ILSHARD3" is the same without the
/// checksum, "ILSHARD2" without the checksum and the generation (read as generation 0).
/// </summary>
public sealed class ShardTables
{
    private static readonly byte[] Magic = "ILSHARD4"u8.ToArray();
    private static readonly byte[] MagicWithoutChecksum = "ILSHARD3"u8.ToArray();
    private static readonly byte[] MagicWithoutGeneration = "ILSHARD2"u8.ToArray();

    public ShardTables(ShardLayout layout, float[][] initialValues)
    {
        if (initialValues.Length != layout.Widths.Length || layout.Rows.Length != layout.Widths.Length)
            throw new ArgumentException($"a shard layout of {layout.Widths.Length} tables got {initialValues.Length} initial tables and {layout.Rows.Length} row counts");
        Layout = layout;
        Tensors = new float[layout.Tensors][];
        for (var t = 0; t < layout.Widths.Length; t++)
        {
            var length = (long)layout.Rows[t] * layout.Widths[t];
            if (initialValues[t].Length != length) throw new ArgumentException($"shard table {t} holds {length} values, got {initialValues[t].Length}");
            for (var s = 0; s <= layout.StateSlots; s++) Tensors[Index(t, s)] = s == 0 ? initialValues[t] : new float[length];
        }
    }

    public ShardLayout Layout { get; }

    /// <summary>[t·(1 + state slots) + s]: table t's slot s.</summary>
    public float[][] Tensors { get; }

    public long UpdatesApplied { get; private set; }

    /// <summary>
    /// Which of the shard's activations saved these tables: an activation that goes on without the lease of the one before it
    /// (on a silo paused or cut off, still running) saves under a later generation, and the one before, finding it, writes no more.
    /// </summary>
    public long Generation { get; set; }

    /// <summary>The id of the best-so-far copy (<see cref="KeepBest"/>), 0 when there is none, and the copy.</summary>
    public long BestId { get; private set; }
    private float[][]? _best;

    /// <summary>Copies every tensor aside as the copy <paramref name="id"/>, replacing an earlier copy.</summary>
    public void KeepBest(long id)
    {
        if (id == 0) throw new ArgumentOutOfRangeException(nameof(id), "a best copy's id is not 0");
        _best ??= Tensors.Select(t => new float[t.Length]).ToArray();
        for (var k = 0; k < Tensors.Length; k++) Tensors[k].CopyTo(_best[k], 0);
        BestId = id;
    }

    /// <summary>Puts the copy <paramref name="id"/> back; refused when the shard holds another copy, or none.</summary>
    public void RestoreBest(long id)
    {
        if (_best is null || BestId != id)
            throw new InvalidOperationException($"this shard holds best copy {BestId}, not {id}: a later snapshot replaced it, or the shard never kept one");
        for (var k = 0; k < Tensors.Length; k++) _best[k].CopyTo(Tensors[k], 0);
    }

    public int Index(int table, int slot) => table * (1 + Layout.StateSlots) + slot;

    public ShardTensors Gather(ShardRows rows, bool withState)
    {
        var values = new float[Layout.Tensors][];
        for (var t = 0; t < Layout.Widths.Length; t++)
            for (var s = 0; s <= Layout.StateSlots; s++)
            {
                var slots = Slots(rows, t);
                if (s > 0 && !withState || slots.Length == 0) { values[Index(t, s)] = []; continue; }
                var destination = new float[slots.Length * Layout.Widths[t]];
                RowCopy.Gather(Tensors[Index(t, s)], slots, destination, Layout.Widths[t]);
                values[Index(t, s)] = destination;
            }
        return new ShardTensors { Values = values };
    }

    public void Scatter(ShardRows rows, ShardTensors updated, bool keepState)
    {
        if (updated.Values.Length != Layout.Tensors) throw new ArgumentException($"a push to a shard of {Layout.Tensors} tensors carried {updated.Values.Length}");
        for (var t = 0; t < Layout.Widths.Length; t++)
        {
            var slots = Slots(rows, t);
            for (var s = 0; s <= (keepState ? Layout.StateSlots : 0); s++)
            {
                var source = updated.Values[Index(t, s)];
                if (source.Length != slots.Length * Layout.Widths[t])
                    throw new ArgumentException($"a push of {slots.Length} rows of shard table {t} carried {source.Length} values in slot {s}, expected {slots.Length * Layout.Widths[t]}");
                RowCopy.Scatter(source, slots, Tensors[Index(t, s)], Layout.Widths[t]);
            }
        }
        UpdatesApplied += rows.Count;
    }

    public void Write(int table, int slot, float[] values)
    {
        var target = Tensors[Index(table, slot)];
        if (values.Length != target.Length) throw new ArgumentException($"shard table {table} slot {slot} holds {target.Length} values, got {values.Length}");
        values.CopyTo(target, 0);
    }

    public void ResetOptimizer()
    {
        for (var t = 0; t < Layout.Widths.Length; t++)
            for (var s = 1; s <= Layout.StateSlots; s++) Array.Clear(Tensors[Index(t, s)]);
    }

    private int[] Slots(ShardRows rows, int table) =>
        table < rows.Slots.Length ? rows.Slots[table] : throw new ArgumentException($"rows of a shard of {Layout.Widths.Length} tables named only {rows.Slots.Length}");

    public void Save(string path) => AtomicFile.Write(path, file =>
    {
        var stream = new ChecksummedStream(file);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Layout.Widths.Length);
        writer.Write(Layout.StateSlots);
        writer.Write(Layout.PersistEvery);
        writer.Write(UpdatesApplied);
        writer.Write(Generation);
        foreach (var width in Layout.Widths) writer.Write(width);
        foreach (var rows in Layout.Rows) writer.Write(rows);
        writer.Flush();
        foreach (var tensor in Tensors) stream.Write(MemoryMarshal.AsBytes(tensor.AsSpan()));
        writer.Write(_best is null ? 0L : BestId);
        writer.Flush();
        if (_best is not null)
            foreach (var tensor in _best) stream.Write(MemoryMarshal.AsBytes(tensor.AsSpan()));
        file.Write(BitConverter.GetBytes(stream.Checksum.Value));
    });

    public static ShardTables Load(string path)
    {
        using var file = File.OpenRead(path);
        var stream = new ChecksummedStream(file);
        using var reader = new BinaryReader(stream);
        try
        {
            var (tables, stateSlots, persistEvery, updates, generation, checksummed) = ReadHeader(reader);
            if (tables is < 0 or > 1024 || stateSlots is < 0 or > 16) throw new InvalidDataException($"its header names {tables} tables and {stateSlots} state slots");
            var widths = Enumerable.Range(0, tables).Select(_ => reader.ReadInt32()).ToArray();
            var rows = Enumerable.Range(0, tables).Select(_ => reader.ReadInt32()).ToArray();
            var tensorBytes = widths.Zip(rows, (w, r) => (long)w * r * (1 + stateSlots) * sizeof(float)).Sum();
            var left = file.Length - file.Position - (checksummed ? sizeof(uint) : 0);
            if (widths.Any(w => w <= 0) || rows.Any(r => r < 0) || (left != tensorBytes + sizeof(long) && left != 2 * tensorBytes + sizeof(long)))
                throw new InvalidDataException($"it holds {left} bytes of rows, its header promises {tensorBytes + sizeof(long)} or {2 * tensorBytes + sizeof(long)}");
            var layout = new ShardLayout { Widths = widths, Rows = rows, StateSlots = stateSlots, PersistEvery = persistEvery };
            var shard = new ShardTables(layout, widths.Select((w, t) => new float[(long)w * rows[t]]).ToArray()) { UpdatesApplied = updates, Generation = generation };
            foreach (var tensor in shard.Tensors) stream.ReadExactly(MemoryMarshal.AsBytes(tensor.AsSpan()));
            var bestId = reader.ReadInt64();
            // A shard of no rows saves 8 bytes after its header with a best copy or without: only the id tells them apart.
            var bestBytes = left - tensorBytes - sizeof(long);
            if (bestBytes != (bestId == 0 ? 0 : tensorBytes)) throw new InvalidDataException($"its best copy {bestId} and its length disagree");
            if (bestId != 0)
            {
                shard._best = shard.Tensors.Select(t => new float[t.Length]).ToArray();
                foreach (var tensor in shard._best) stream.ReadExactly(MemoryMarshal.AsBytes(tensor.AsSpan()));
                shard.BestId = bestId;
            }
            if (checksummed) VerifyChecksum(file, stream.Checksum.Value);
            return shard;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw Unreadable(path, e);
        }
    }

    /// <summary>The generation of the snapshot at <paramref name="path"/>, read from its header alone; null when there is none.</summary>
    public static long? GenerationAt(string path)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            return ReadHeader(reader).Generation;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw Unreadable(path, e);
        }
    }

    private static (int Tables, int StateSlots, int PersistEvery, long Updates, long Generation, bool Checksummed) ReadHeader(BinaryReader reader)
    {
        var magic = reader.ReadBytes(Magic.Length);
        var checksummed = magic.AsSpan().SequenceEqual(Magic);
        var withGeneration = checksummed || magic.AsSpan().SequenceEqual(MagicWithoutChecksum);
        if (!withGeneration && !magic.AsSpan().SequenceEqual(MagicWithoutGeneration)) throw new InvalidDataException("it does not start with ILSHARD4 (or an earlier build's ILSHARD3, ILSHARD2)");
        var tables = reader.ReadInt32();
        var stateSlots = reader.ReadInt32();
        var persistEvery = reader.ReadInt32();
        var updates = reader.ReadInt64();
        return (tables, stateSlots, persistEvery, updates, withGeneration ? reader.ReadInt64() : 0, checksummed);
    }

    // Read after the rows (which the caller then drops): a snapshot damaged on disk is refused, not restored as the shard's rows.
    private static void VerifyChecksum(Stream file, uint computed)
    {
        Span<byte> stored = stackalloc byte[sizeof(uint)];
        file.ReadExactly(stored);
        if (BitConverter.ToUInt32(stored) != computed)
            throw new InvalidDataException("its checksum does not match its bytes: it was damaged after it was written");
    }

    private static InvalidDataException Unreadable(string path, Exception e) => new($"{path}: not a shard snapshot this version can read ({e.Message})", e);
}
