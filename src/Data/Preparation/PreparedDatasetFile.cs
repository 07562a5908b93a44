using System.Collections;
using System.Runtime.InteropServices;

namespace InverseLearning.Data;

/// <summary>
/// The binary form of a <see cref="PreparedDataset"/> (little-endian): magic "ILPD",
/// format version, unlabeled count, user and item vocabularies (raw ids), the seen-pairs
/// index (CSR), the middle-band index (CSR), Train with its training-test mask, Valid and
/// Test; then the extra feedback: its rule, whether the log had its column, the count
/// outside the splits, its Train / Valid / Test sets, the --test-positives rule (""
/// when none) with its set, and the --valid-positives rule with its set. Every array is preceded by its length, so a short file is
/// detected, never half-read.
/// </summary>
internal static class PreparedDatasetFile
{
    public const string FileName = "dataset.bin";
    private const uint Magic = 0x4450_4C49; // "ILPD" read as little-endian bytes
    private const int Version = 4;

    public static void Write(PreparedDataset data, string path)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("dataset files are little-endian");
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(data.UnlabeledRowCount);
            WriteArray(writer, data.Users.RawIds);
            WriteArray(writer, data.Items.RawIds);
            WriteArray<int>(writer, data.Seen.Offsets);
            WriteArray<int>(writer, data.Seen.Items);
            WriteArray<int>(writer, data.MiddleBand.Offsets);
            WriteArray<int>(writer, data.MiddleBand.Items);
            WriteSet(writer, data.Train);
            WriteArray<byte>(writer, Enumerable.Range(0, data.Train.Count).Select(r => data.IsTrainTest(r) ? (byte)1 : (byte)0).ToArray());
            WriteSet(writer, data.Valid);
            WriteSet(writer, data.Test);
            WriteExtra(writer, data.Extra);
        });
    }

    public static PreparedDataset Read(string path)
    {
        if (!File.Exists(path)) throw new DataException($"{path}: file not found (expected a dataset saved by PreparedDataset.Save)");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new BinaryReader(stream);
        try
        {
            if (reader.ReadUInt32() != Magic) throw new DataException($"{path}: not a prepared dataset file (bad magic number)");
            var version = reader.ReadInt32();
            if (version != Version) throw new DataException($"{path}: dataset format version {version}, expected {Version}");
            var unlabeled = reader.ReadInt32();
            var users = ReadVocabulary(reader, path, "user vocabulary");
            var items = ReadVocabulary(reader, path, "item vocabulary");
            var offsets = ReadArray<int>(reader, path, "seen offsets");
            var seenItems = ReadArray<int>(reader, path, "seen items");
            var middleOffsets = ReadArray<int>(reader, path, "middle-band offsets");
            var middleItems = ReadArray<int>(reader, path, "middle-band items");
            var train = ReadSet(reader, path, "train");
            var mask = ReadArray<byte>(reader, path, "training-test mask");
            var valid = ReadSet(reader, path, "valid");
            var test = ReadSet(reader, path, "test");
            var extra = ReadExtra(reader, path);
            if (mask.Length != train.Count) throw new DataException($"{path}: training-test mask has {mask.Length} entries, expected {train.Count}");
            if (stream.Position != stream.Length) throw new DataException($"{path}: {stream.Length - stream.Position} unexpected bytes after the dataset");
            var seen = ReadIndex(offsets, seenItems, path, "seen-pairs index");
            var middle = ReadIndex(middleOffsets, middleItems, path, "middle-band index");
            return new PreparedDataset(users, items, train, new BitArray(mask.Select(b => b != 0).ToArray()), valid, test, unlabeled, seen, middle) { Extra = extra };
        }
        catch (EndOfStreamException)
        {
            throw new DataException($"{path}: file is truncated ({stream.Length} bytes)");
        }
    }

    private static void WriteExtra(BinaryWriter writer, ExtraFeedback extra)
    {
        writer.Write(extra.Rule);
        writer.Write(extra.Available);
        writer.Write(extra.OutsideSplits);
        WriteSet(writer, extra.Train);
        WriteSet(writer, extra.Valid);
        WriteSet(writer, extra.Test);
        writer.Write(extra.TestPositivesRule ?? "");
        WriteSet(writer, extra.TestPositives ?? new LabeledSet());
        writer.Write(extra.ValidPositivesRule ?? "");
        WriteSet(writer, extra.ValidPositives ?? new LabeledSet());
    }

    private static ExtraFeedback ReadExtra(BinaryReader reader, string path)
    {
        var rule = reader.ReadString();
        var available = reader.ReadBoolean();
        var outside = reader.ReadInt32();
        var train = ReadSet(reader, path, "extra-feedback train");
        var valid = ReadSet(reader, path, "extra-feedback valid");
        var test = ReadSet(reader, path, "extra-feedback test");
        return new ExtraFeedback(rule, available, train, valid, test, outside, ReadPositives(reader, path, "test positives"), ReadPositives(reader, path, "validation positives"));
    }

    private static ExtraFeedback.MarkedPositives? ReadPositives(BinaryReader reader, string path, string name)
    {
        var rule = reader.ReadString();
        var rows = ReadSet(reader, path, name);
        return rule.Length == 0 ? null : new ExtraFeedback.MarkedPositives(rule, rows);
    }

    private static InteractionIndex ReadIndex(int[] offsets, int[] items, string path, string name)
    {
        try { return new InteractionIndex(offsets, items); }
        catch (ArgumentException e) { throw new DataException($"{path}: {name} is inconsistent ({e.Message})"); }
    }

    private static void WriteSet(BinaryWriter writer, LabeledSet set)
    {
        WriteArray<int>(writer, set.Users);
        WriteArray<int>(writer, set.Items);
        WriteArray<float>(writer, set.Labels.ToArray());
    }

    private static LabeledSet ReadSet(BinaryReader reader, string path, string name)
    {
        var users = ReadArray<int>(reader, path, name + " users");
        var items = ReadArray<int>(reader, path, name + " items");
        var labels = ReadArray<float>(reader, path, name + " labels");
        if (users.Length != items.Length || users.Length != labels.Length)
            throw new DataException($"{path}: {name} columns differ in length ({users.Length}, {items.Length}, {labels.Length})");
        return new LabeledSet(users, items, labels);
    }

    private static Vocabulary ReadVocabulary(BinaryReader reader, string path, string name)
    {
        var raw = ReadArray<long>(reader, path, name);
        try { return Vocabulary.FromRawIds(raw); }
        catch (ArgumentException e) { throw new DataException($"{path}: {name} is invalid ({e.Message})"); }
    }

    private static void WriteArray<T>(BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    private static T[] ReadArray<T>(BinaryReader reader, string path, string name) where T : unmanaged
    {
        var length = reader.ReadInt32();
        var bytesLeft = reader.BaseStream.Length - reader.BaseStream.Position;
        if (length < 0 || (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() > bytesLeft)
            throw new DataException($"{path}: {name} declares {length} entries but the file is truncated or damaged");
        var values = new T[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
