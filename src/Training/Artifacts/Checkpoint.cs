using InverseLearning.Data;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// The parameter and optimizer state of a run, versioned and written atomically.
/// Layout: the 8 bytes "ILCKPT01", an int32 header length, a UTF-8 JSON header
/// (<see cref="CheckpointHeader"/>), then per parameter in header order its values and
/// each optimizer state tensor as little-endian float32.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "ILCKPT01"u8.ToArray();
    private const int FormatVersion = 1;

    public static void Save(string path, ParameterStore store, RunState run)
    {
        var header = new CheckpointHeader(FormatVersion, run,
            store.All.Select(p => new CheckpointHeader.Tensor(p.Name, p.Shape, p.State.Length)).ToList(), store.Step);
        var json = JsonSerializer.SerializeToUtf8Bytes(header, JsonOptions);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            stream.Write(BitConverter.GetBytes(json.Length));
            stream.Write(json);
            foreach (var p in store.All)
            {
                stream.Write(MemoryMarshal.AsBytes(p.Values.AsSpan()));
                foreach (var s in p.State) stream.Write(MemoryMarshal.AsBytes(s.AsSpan()));
            }
        });
    }

    /// <summary>Reads only the header: what run and model the checkpoint holds.</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var stream = Open(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Loads values and state into <paramref name="store"/>, which must have the checkpoint's parameters and shapes.</summary>
    public static CheckpointHeader Load(string path, ParameterStore store)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path);
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
        if (stream.Position != stream.Length) throw new CheckpointException(path, "it has bytes after the last parameter");
        store.Step = header.OptimizerStep;
        return header;
    }

    private static FileStream Open(string path) =>
        File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)
            : throw new CheckpointException(path, "the file does not exist");

    private static CheckpointHeader ReadHeader(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[12];
        if (stream.ReadAtLeast(prefix, 12, throwOnEndOfStream: false) < 12 || !prefix[..8].SequenceEqual(Magic))
            throw new CheckpointException(path, "it is not an InverseLearning checkpoint (format ILCKPT01)");
        var length = BitConverter.ToInt32(prefix[8..]);
        if (length <= 0 || length > stream.Length - 12) throw new CheckpointException(path, "its header is truncated");
        var json = new byte[length];
        stream.ReadExactly(json);
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
