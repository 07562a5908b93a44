using InverseLearning.Data;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// The parameter and optimizer state of a run, versioned, checksummed and written atomically.
/// Layout: the 8 bytes "ILCKPT02", an int32 header length, a UTF-8 JSON header
/// (<see cref="CheckpointHeader"/>), the CRC-32 of everything so far (uint32), then the
/// payload: per parameter in header order its values and each optimizer state tensor as
/// little-endian float32; last, the CRC-32 of the payload. Reading the header verifies the
/// first checksum, loading verifies both, so flipped or missing bytes are refused.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "ILCKPT02"u8.ToArray();
    private static readonly byte[] UncheckedMagic = "ILCKPT01"u8.ToArray();
    private const int FormatVersion = 2;

    public static void Save(string path, ParameterStore store, RunState run)
    {
        var header = new CheckpointHeader(FormatVersion, run,
            store.All.Select(p => new CheckpointHeader.Tensor(p.Name, p.Shape, p.State.Length)).ToList(), store.Step);
        var json = JsonSerializer.SerializeToUtf8Bytes(header, JsonOptions);
        AtomicFile.Write(path, file =>
        {
            var head = new ChecksummedStream(file);
            head.Write(Magic);
            head.Write(BitConverter.GetBytes(json.Length));
            head.Write(json);
            file.Write(BitConverter.GetBytes(head.Checksum.Value));
            var stream = new ChecksummedStream(file);
            foreach (var p in store.All)
            {
                stream.Write(MemoryMarshal.AsBytes(p.Values.AsSpan()));
                foreach (var s in p.State) stream.Write(MemoryMarshal.AsBytes(s.AsSpan()));
            }
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
    /// Loads values and state into <paramref name="store"/>, which must have the checkpoint's
    /// parameters and shapes. When the payload's checksum fails the store holds the damaged
    /// values: the caller discards it, as the exception says the checkpoint cannot be used.
    /// </summary>
    public static CheckpointHeader Load(string path, ParameterStore store)
    {
        using var file = Open(path);
        var header = ReadHeader(file, path);
        var stream = new ChecksummedStream(file);
        var parameters = store.All.ToList();
        if (header.Parameters.Count != parameters.Count)
            throw new CheckpointException(path, $"it holds {header.Parameters.Count} parameters, the model expects {parameters.Count}");
        for (var k = 0; k < parameters.Count; k++)
        {
            var (expected, stored) = (parameters[k], header.Parameters[k]);
            if (expected.Name != stored.Name || !expected.Shape.SequenceEqual(stored.Shape) || expected.State.Length != stored.StateTensors)
                throw new CheckpointException(path,
                    $"parameter {k} is {stored.Name} [{string.Join(", ", stored.Shape)}] with {stored.StateTensors} state tensors, " +
                    $"the model expects {expected.Name} [{string.Join(", ", expected.Shape)}] with {expected.State.Length}");
            ReadExactly(stream, expected.Values, path, stored.Name);
            foreach (var s in expected.State) ReadExactly(stream, s, path, stored.Name);
        }
        VerifyChecksum(file, stream.Checksum.Value, path, "its parameters");
        if (file.Position != file.Length) throw new CheckpointException(path, "it has bytes after its checksum");
        store.Step = header.OptimizerStep;
        return header;
    }

    private static FileStream Open(string path) =>
        File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)
            : throw new CheckpointException(path, Directory.Exists(path) ? "it is a directory, expected a checkpoint file" : "the file does not exist");

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
        var json = new byte[length];
        stream.ReadExactly(json);
        VerifyChecksum(file, stream.Checksum.Value, path, "its header");
        try
        {
            var header = JsonSerializer.Deserialize<CheckpointHeader>(json, JsonOptions) ?? throw new JsonException("empty header");
            if (header.FormatVersion != FormatVersion) throw new CheckpointException(path, $"it has format version {header.FormatVersion}, this build reads {FormatVersion}");
            if (header.Run?.Settings is null || header.Parameters is null) throw new JsonException("the run settings or the parameter list are missing");
            return header;
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"its header is not valid: {e.Message}");
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

    private static void ReadExactly(Stream stream, float[] into, string path, string name)
    {
        var bytes = MemoryMarshal.AsBytes(into.AsSpan());
        if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            throw new CheckpointException(path, $"it is truncated inside parameter {name}");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };
}

/// <summary>What a checkpoint says about itself.</summary>
public sealed record CheckpointHeader(int FormatVersion, RunState Run, IReadOnlyList<CheckpointHeader.Tensor> Parameters, long OptimizerStep)
{
    public sealed record Tensor(string Name, long[] Shape, int StateTensors);
}

/// <summary>Where a run stands: enough, with the run's settings, to rebuild its model and resume it.</summary>
public sealed record RunState(TrainSettings Settings, int EpochsDone, long Iterations, double BestValidLoss, int BestEpoch);

public sealed class CheckpointException(string path, string problem) : Exception($"{path}: cannot use this checkpoint: {problem}.");
