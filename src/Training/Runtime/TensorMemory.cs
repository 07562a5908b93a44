using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// Float memory that ORT reads and writes in place, where a store keeps it: a pinned host
/// array (<see cref="HostMemory"/>), or a block ORT allocated on the run's device
/// (<see cref="DeviceMemory"/>: GPU memory under CUDA, native memory under the CPU provider).
/// </summary>
public abstract class TensorMemory : IDisposable
{
    public abstract int Length { get; }

    /// <summary>A tensor of <paramref name="shape"/> over the first elements, for binding; the caller disposes it.</summary>
    public abstract OrtValue View(long[] shape);

    /// <summary>Copies the first destination.Length values out (across the bus for device memory).</summary>
    public abstract void CopyTo(Span<float> destination);

    /// <summary>Copies source into the first source.Length values.</summary>
    public abstract void CopyFrom(ReadOnlySpan<float> source);

    public virtual void Dispose() { }
}

/// <summary>A pinned host array: what the host store and its working set use.</summary>
public sealed class HostMemory(float[] array) : TensorMemory
{
    public static HostMemory Allocate(int length) => new(GC.AllocateArray<float>(length, pinned: true));

    public float[] Array { get; } = array;
    public override int Length => Array.Length;

    public override OrtValue View(long[] shape) =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Array.AsMemory(0, (int)shape.Aggregate(1L, (a, b) => a * b)), shape);

    public override void CopyTo(Span<float> destination) => Array.AsSpan(0, destination.Length).CopyTo(destination);
    public override void CopyFrom(ReadOnlySpan<float> source) => source.CopyTo(Array);
}

/// <summary>A block of <see cref="DeviceArena"/>'s device memory; copies in and out go through the arena.</summary>
public sealed class DeviceMemory : TensorMemory
{
    private readonly OrtMemoryAllocation _allocation;

    internal DeviceMemory(DeviceArena arena, OrtMemoryAllocation allocation, int length)
    {
        Arena = arena;
        _allocation = allocation;
        Length = length;
    }

    public DeviceArena Arena { get; }
    public override int Length { get; }
    internal IntPtr Pointer => _allocation.DangerousGetHandle();

    public override OrtValue View(long[] shape) => ViewAt(0, shape);

    /// <summary>A tensor of <paramref name="shape"/> starting <paramref name="offset"/> floats in.</summary>
    public OrtValue ViewAt(long offset, long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (offset < 0 || offset + count > Length) throw new ArgumentOutOfRangeException(nameof(shape), $"a view of {count} floats at {offset} does not fit {Length}");
        return OrtValue.CreateTensorValueWithData(Arena.MemoryInfo, TensorElementType.Float, shape, Pointer + (nint)(offset * sizeof(float)), count * sizeof(float));
    }

    public override void CopyTo(Span<float> destination) => Arena.Download(this, 0, destination);
    public override void CopyFrom(ReadOnlySpan<float> source) => Arena.Upload(source, this, 0);

    public override void Dispose() => _allocation.Dispose();
}
