using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace InverseLearning.Training.Graph;

/// <summary>Builds ONNX <see cref="TensorProto"/>s from arrays (little-endian raw data, as the spec stores it).</summary>
public static class TensorProtos
{
    public static TensorProto Create<T>(string name, DType type, ReadOnlySpan<T> data, params long[] dims) where T : unmanaged
    {
        if (dims.Aggregate(1L, (a, b) => a * b) != data.Length)
            throw new ArgumentException($"tensor {name}: {data.Length} values do not fill shape [{string.Join(", ", dims)}]");
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data)) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>A tensor of <paramref name="type"/> from doubles, converted to the element type.</summary>
    public static TensorProto FromDoubles(string name, DType type, ReadOnlySpan<double> data, params long[] dims) => type switch
    {
        DType.Float => Create<float>(name, type, data.ToArray().Select(v => (float)v).ToArray(), dims),
        DType.Double => Create(name, type, data, dims),
        DType.Int64 => Create<long>(name, type, data.ToArray().Select(v => (long)v).ToArray(), dims),
        DType.Bool => Create<bool>(name, type, data.ToArray().Select(v => v != 0).ToArray(), dims),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
