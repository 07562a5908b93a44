using System.Runtime.CompilerServices;
using InverseLearning.Data;
using InverseLearning.Training.Graph;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// Memory on one execution device, allocated by ORT's own allocator for that device, and the
/// copies in and out of it. ORT's C# API has no memcpy: a copy is one run of an Identity
/// graph whose input and output are bound where the bytes are and where they go, so ORT's
/// provider does the transfer (host↔GPU under CUDA, a memcpy under the CPU provider).
/// One arena per device per process: every session of that device shares its memory.
/// </summary>
public sealed class DeviceArena
{
    private static readonly Dictionary<string, DeviceArena> Arenas = [];
    private readonly ExecutionDevice _device;
    private readonly Dictionary<DType, InferenceSession> _copies = [];
    private readonly OrtAllocator _allocator;
    // Host arrays that never change (LightGCN's edges), uploaded once and kept while the array lives.
    private readonly ConditionalWeakTable<Array, ResidentArray> _resident = [];

    private DeviceArena(ExecutionDevice device)
    {
        _device = device;
        if (device.Name == "cuda")
        {
            MemoryInfo = new OrtMemoryInfo("Cuda", OrtAllocatorType.DeviceAllocator, 0, OrtMemType.Default);
            _allocator = new OrtAllocator(CopySession(DType.Float), MemoryInfo);
        }
        else
        {
            MemoryInfo = OrtMemoryInfo.DefaultInstance;
            _allocator = OrtAllocator.DefaultInstance;
        }
    }

    /// <summary>The arena of <paramref name="device"/>'s provider (threads do not matter: copies run on one).</summary>
    public static DeviceArena For(ExecutionDevice device)
    {
        lock (Arenas)
        {
            if (!Arenas.TryGetValue(device.Name, out var arena)) Arenas[device.Name] = arena = new DeviceArena(device with { Threads = 1, ProfilePrefix = null });
            return arena;
        }
    }

    public OrtMemoryInfo MemoryInfo { get; }

    /// <summary>Uninitialised memory for <paramref name="length"/> floats; <paramref name="what"/> names it in the one error a too-large block gets.</summary>
    public DeviceMemory Allocate(long length, string what)
    {
        var bytes = length * sizeof(float);
        // ORT's allocator API takes a 32-bit size.
        if (bytes > uint.MaxValue)
            throw new ArgumentException($"{what} needs {ByteSize.Format(bytes)} in one block; ONNX Runtime's allocator hands out at most 4 GiB: lower --dim");
        return new DeviceMemory(this, _allocator.Allocate((uint)Math.Max(bytes, sizeof(float))), (int)length);
    }

    // Copies go in pieces: a copy across devices may stage through a temporary of its size, which must not double a table's memory.
    private const int CopyChunk = 1 << 20;

    public unsafe void Upload(ReadOnlySpan<float> source, DeviceMemory target, long offset)
    {
        for (var start = 0; start < source.Length; start += CopyChunk)
        {
            var piece = source.Slice(start, Math.Min(CopyChunk, source.Length - start));
            fixed (float* data = piece)
            {
                using var from = HostView(TensorElementType.Float, (IntPtr)data, piece.Length, sizeof(float));
                using var to = target.ViewAt(offset + start, [piece.Length]);
                Copy(DType.Float, from, to);
            }
        }
    }

    public unsafe void Download(DeviceMemory source, long offset, Span<float> destination)
    {
        for (var start = 0; start < destination.Length; start += CopyChunk)
        {
            var piece = destination.Slice(start, Math.Min(CopyChunk, destination.Length - start));
            fixed (float* data = piece)
            {
                using var from = source.ViewAt(offset + start, [piece.Length]);
                using var to = HostView(TensorElementType.Float, (IntPtr)data, piece.Length, sizeof(float));
                Copy(DType.Float, from, to);
            }
        }
    }

    /// <summary>Copies all of <paramref name="source"/> into <paramref name="target"/> without leaving the device.</summary>
    public void Copy(DeviceMemory source, DeviceMemory target)
    {
        using var from = source.View([source.Length]);
        using var to = target.View([source.Length]);
        Copy(DType.Float, from, to);
    }

    public void Zero(DeviceMemory target)
    {
        var zeros = new float[Math.Min(target.Length, CopyChunk)];
        for (long offset = 0; offset < target.Length; offset += zeros.Length)
            Upload(zeros.AsSpan(0, (int)Math.Min(zeros.Length, target.Length - offset)), target, offset);
    }

    /// <summary>
    /// A device-resident copy of a host array that never changes for as long as it lives (a
    /// graph's edges), made on first use: binding it costs nothing per run. Under the CPU
    /// provider the array itself is bound.
    /// </summary>
    public OrtValue Resident<T>(T[] array, long count) where T : unmanaged
    {
        lock (_resident)
        {
            if (!_resident.TryGetValue(array, out var resident) || resident.Count != count)
            {
                resident?.Dispose();
                resident = Upload(array, count);
                _resident.AddOrUpdate(array, resident);
            }
            return resident.View;
        }
    }

    private unsafe ResidentArray Upload<T>(T[] array, long count) where T : unmanaged
    {
        var (type, element) = Element<T>();
        var allocation = _allocator.Allocate((uint)Math.Max(count * sizeof(T), sizeof(T)));
        var view = OrtValue.CreateTensorValueWithData(MemoryInfo, element, [count], allocation.DangerousGetHandle(), count * sizeof(T));
        fixed (T* data = array)
        {
            using var from = HostView(element, (IntPtr)data, count, sizeof(T));
            Copy(type, from, view);
        }
        return new ResidentArray(allocation, view, count);
    }

    private static (DType, TensorElementType) Element<T>() =>
        typeof(T) == typeof(float) ? (DType.Float, TensorElementType.Float)
        : typeof(T) == typeof(long) ? (DType.Int64, TensorElementType.Int64)
        : throw new NotSupportedException($"no device copy for {typeof(T).Name}");

    private static OrtValue HostView(TensorElementType type, IntPtr data, long count, int elementSize) =>
        OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, type, [count], data, count * elementSize);

    private void Copy(DType type, OrtValue from, OrtValue to)
    {
        var session = CopySession(type);
        lock (session)
        {
            using var binding = session.CreateIoBinding();
            using var options = new RunOptions();
            binding.BindInput("x", from);
            binding.BindOutput("y", to);
            session.RunWithBinding(options, binding);
        }
    }

    private InferenceSession CopySession(DType type)
    {
        lock (_copies)
        {
            if (_copies.TryGetValue(type, out var session)) return session;
            var g = new GraphBuilder("copy");
            var x = g.Input("x", type, Dim.Named("N"));
            using var options = _device.CreateSessionOptions();
            return _copies[type] = new InferenceSession(g.ToBytes([g.Named(g.Identity(x), "y")]), options);
        }
    }

    private sealed class ResidentArray(OrtMemoryAllocation allocation, OrtValue view, long count) : IDisposable
    {
        public OrtValue View { get; } = view;
        public long Count { get; } = count;

        public void Dispose()
        {
            View.Dispose();
            allocation.Dispose();
        }
    }
}
