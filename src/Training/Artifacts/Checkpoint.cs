using InverseLearning.Data;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// The parameter and optimizer state of a run, and the state of its plan's stateful
/// parts, versioned, checksummed and written atomically. Layout: the 8 bytes "ILCKPT02",
/// an int32 header length, a UTF-8 JSON header (<see cref="CheckpointHeader"/>), the CRC-32
/// of everything so far (uint32), then the payload: per parameter in header order its
/// values and each optimizer state tensor as little-endian float32, then each part's
/// section (its bytes, as the header lists them); last, the CRC-32 of the payload. Reading
/// the header verifies the first checksum, loading verifies both (before any part's state
/// is read), so flipped or missing bytes are refused.
/// </summary>
public static class Checkpoint
{
    /// <summary>The names in a run's folder: the best parameters so far (what eval and export read), and the last epoch's (what --resume continues).</summary>
    public const string BestFileName = "checkpoint", LastFileName = "last.checkpoint";

    private static readonly byte[] Magic = "ILCKPT02"u8.ToArray();
    private static readonly byte[] UncheckedMagic = "ILCKPT01"u8.ToArray();
    private const int FormatVersion = 3;

    public static void Save(string path, IParameterStore store, RunState run, IReadOnlyList<IStatefulPart>? parts = null)
    {
        var sections = (parts ?? []).Select(part =>
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) part.SaveState(writer);
            return (part.StateKey, Bytes: buffer.ToArray());
        }).ToList();
        var header = new CheckpointHeader(FormatVersion, run,
            store.Parameters.Select(p => new CheckpointHeader.Tensor(p.Name, p.Shape, store.StateSlots)).ToList(), store.Step,
            sections.Select(s => new CheckpointHeader.Section(s.StateKey, s.Bytes.Length)).ToList());
        var json = JsonSerializer.SerializeToUtf8Bytes(header, JsonOptions);
        AtomicFile.Write(path, file =>
        {
            var head = new ChecksummedStream(file);
            head.Write(Magic);
            head.Write(BitConverter.GetBytes(json.Length));
            head.Write(json);
            file.Write(BitConverter.GetBytes(head.Checksum.Value));
            var stream = new ChecksummedStream(file);
            var buffer = TensorBuffer(store);
            for (var k = 0; k < store.Parameters.Count; k++)
                for (var slot = 0; slot <= store.StateSlots; slot++)
                {
                    var tensor = buffer.AsSpan(0, store.Parameters[k].Length);
                    store.Read(k, slot, tensor);
                    stream.Write(MemoryMarshal.AsBytes(tensor));
                }
            foreach (var section in sections) stream.Write(section.Bytes);
            file.Write(BitConverter.GetBytes(stream.Checksum.Value));
        });
    }

    /// <summary>Reads only the header: what run and model the checkpoint holds.</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var stream = Open(path);
        return ReadHeader(stream, path);
    }

    /// <summary>
    /// Reads the header, and checks the file's length against the one the header gives it (the header, then each parameter's values
    /// and state tensors, each part's section, and the two checksums): a truncated checkpoint is found without reading its tables,
    /// where the header's checksum alone passes one cut anywhere after the header.
    /// </summary>
    public static CheckpointHeader ReadHeaderAndLength(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path);
        var expected = stream.Position + PayloadBytes(header) + sizeof(uint);
        if (stream.Length < expected)
            throw new CheckpointException(path, $"it is truncated: it has {stream.Length:N0} bytes, where its header says it holds {expected:N0}");
        if (stream.Length > expected)
            throw new CheckpointException(path, $"it has {stream.Length - expected:N0} bytes after its checksum, where its header says it holds {expected:N0}");
        return header;
    }

    // The payload's bytes as the header describes them: float32 values and state tensors per parameter, then the parts' sections.
    private static long PayloadBytes(CheckpointHeader header) =>
        header.Parameters.Sum(p => p.Shape.Aggregate(1L, (n, d) => n * d) * (p.StateTensors + 1) * sizeof(float)) + (header.Sections ?? []).Sum(s => (long)s.Length);

    /// <summary>
    /// Loads values and state into <paramref name="store"/>, which must have the checkpoint's
    /// parameters and shapes, and each of <paramref name="parts"/> from its section (a part
    /// the checkpoint has no section for is refused). When the payload's checksum fails the
    /// store holds the damaged values: the caller discards it, as the exception says the
    /// checkpoint cannot be used.
    /// </summary>
    public static CheckpointHeader Load(string path, IParameterStore store, IReadOnlyList<IStatefulPart>? parts = null)
    {
        using var file = Open(path);
        var header = ReadHeader(file, path);
        var stream = new ChecksummedStream(file);
        var parameters = store.Parameters;
        var buffer = TensorBuffer(store);
        string? nonFinite = null;
        if (header.Parameters.Count != parameters.Count)
            throw new CheckpointException(path, $"it holds {header.Parameters.Count} parameters, the model expects {parameters.Count}");
        for (var k = 0; k < parameters.Count; k++)
        {
            var (expected, stored) = (parameters[k], header.Parameters[k]);
            if (expected.Name != stored.Name || !expected.Shape.SequenceEqual(stored.Shape) || store.StateSlots != stored.StateTensors)
                throw new CheckpointException(path,
                    $"parameter {k} is {stored.Name} [{string.Join(", ", stored.Shape)}] with {stored.StateTensors} state tensors, " +
                    $"the model expects {expected.Name} [{string.Join(", ", expected.Shape)}] with {store.StateSlots}");
            for (var slot = 0; slot <= store.StateSlots; slot++)
            {
                var tensor = buffer.AsSpan(0, expected.Length);
                ReadExactly(stream, tensor, path, stored.Name);
                // A run that met a non-finite loss stops without saving: such a value is damage (told after the checksum, which names damage first).
                if (nonFinite is null && tensor.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue) is var at and >= 0)
                    nonFinite = $"{stored.Name}{(slot == 0 ? "" : $"'s optimizer state {slot}")} holds {tensor[at].ToString(System.Globalization.CultureInfo.InvariantCulture)} at {at}, expected finite numbers: the checkpoint is damaged";
                store.Write(k, slot, tensor);
            }
        }
        var sections = new List<(string Key, byte[] Bytes)>();
        foreach (var section in header.Sections ?? [])
        {
            if (section.Length < 0 || section.Length > file.Length - file.Position)
                throw new CheckpointException(path, $"it is truncated inside the state of {section.Key}");
            var bytes = new byte[section.Length];
            if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
                throw new CheckpointException(path, $"it is truncated inside the state of {section.Key}");
            sections.Add((section.Key, bytes));
        }
        VerifyChecksum(file, stream.Checksum.Value, path, "its parameters");
        if (file.Position != file.Length) throw new CheckpointException(path, "it has bytes after its checksum");
        if (nonFinite is not null) throw new CheckpointException(path, nonFinite);
        var byKey = (parts ?? []).ToDictionary(p => p.StateKey);
        foreach (var (key, bytes) in sections)
        {
            if (!byKey.Remove(key, out var part)) continue;
            try
            {
                using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
                part.LoadState(reader);
                if (reader.BaseStream.Position != bytes.Length) throw new InvalidDataException("it has bytes after the state");
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new CheckpointException(path, $"the state of {key} is not valid: {e.Message}");
            }
        }
        if (byKey.Count > 0) throw new CheckpointException(path, $"it holds no state for {string.Join(", ", byKey.Keys)} (was it written by another method?)");
        store.Step = header.OptimizerStep;
        return header;
    }

    // One tensor at a time passes through this buffer, sized for the largest.
    private static float[] TensorBuffer(IParameterStore store) => new float[store.Parameters.Max(p => p.Length)];

    private static FileStream Open(string path)
    {
        // A run's folder given for its checkpoint (eval --checkpoint m/run) is told which file in it to give.
        if (Directory.Exists(path) && File.Exists(Path.Combine(path, BestFileName)))
            throw new CheckpointException(path, $"is a run's folder, expected a checkpoint file: give --checkpoint {Path.Combine(path, BestFileName)}");
        if (InputFile.Problem(path, expected: "a checkpoint file") is { } problem) throw new CheckpointException(path, problem);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (stream.CanSeek) return stream;
        // A pipe with a writer (`<(cat checkpoint)`): the header's length is checked against the file's, which a pipe has not.
        stream.Dispose();
        throw new CheckpointException(path, "it is not a regular file (a pipe?): a checkpoint is read from a file");
    }

    // A header is the run's settings and its parameters' names and shapes, kilobytes, and on a lake the parts it read and the lake's
    // listing: some 320 bytes a part with Spark's long part names, 32 MB for a lake of 100,000 parts. Its length is read before the header is allocated.
    private const int MaxHeaderBytes = 256 << 20;

    private static CheckpointHeader ReadHeader(Stream file, string path)
    {
        var stream = new ChecksummedStream(file);
        Span<byte> prefix = stackalloc byte[12];
        var read = stream.ReadAtLeast(prefix, 12, throwOnEndOfStream: false);
        if (read >= 8 && prefix[..8].SequenceEqual(UncheckedMagic))
            throw new CheckpointException(path, "it has format ILCKPT01, written before checkpoints carried checksums; this build reads ILCKPT02 (train again)");
        if (read < 12 || !prefix[..8].SequenceEqual(Magic))
            throw new CheckpointException(path, "it is not an InverseLearning checkpoint (format ILCKPT02)");
        var length = BitConverter.ToInt32(prefix[8..]);
        if (length <= 0 || length > file.Length - 16) throw new CheckpointException(path, "its header is truncated or damaged");
        if (length > MaxHeaderBytes) throw new CheckpointException(path, $"its header claims {length:N0} bytes, more than any checkpoint's header ({MaxHeaderBytes >> 20} MiB): the file is damaged");
        var json = new byte[length];
        stream.ReadExactly(json);
        VerifyChecksum(file, stream.Checksum.Value, path, "its header");
        try
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(json) ?? throw new CheckpointException(path, "its header is empty");
            if (node["run"]?["settings"] is System.Text.Json.Nodes.JsonObject settings) LegacySettings.Migrate(settings);
            var header = node.Deserialize<CheckpointHeader>(JsonOptions) ?? throw new CheckpointException(path, "its header is empty");
            if (header.FormatVersion != FormatVersion) throw new CheckpointException(path, $"it has format version {header.FormatVersion}, this build reads {FormatVersion}");
            if (header.Run?.Settings is null || header.Parameters is null) throw new CheckpointException(path, "its header lacks the run settings or the parameter list");
            return header;
        }
        // The serializer's words name our types and positions in bytes: where in the header is what the user can use.
        catch (JsonException e)
        {
            throw new CheckpointException(path, e.Path is { Length: > 0 } at ? $"its header holds no valid value at {at}" : "its header is not valid JSON");
        }
    }

    private static void VerifyChecksum(Stream file, uint computed, string path, string what)
    {
        Span<byte> stored = stackalloc byte[4];
        if (file.ReadAtLeast(stored, 4, throwOnEndOfStream: false) < 4)
            throw new CheckpointException(path, $"it is truncated: the checksum of {what} is missing");
        if (BitConverter.ToUInt32(stored) != computed)
            throw new CheckpointException(path, $"the checksum of {what} does not match (the file is damaged)");
    }

    private static void ReadExactly(Stream stream, Span<float> into, string path, string name)
    {
        var bytes = MemoryMarshal.AsBytes(into);
        if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            throw new CheckpointException(path, $"it is truncated inside parameter {name}");
    }

    // Named literals: a run whose validation was never finite still checkpoints (BestValue = ±∞).
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
