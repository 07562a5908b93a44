using System.Diagnostics;
using InverseLearning.Serving.Devices;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// One ONNX graph loaded in ORT, run through an <see cref="OrtIoBinding"/> whose inputs
/// and outputs are views of memory we own (host arrays, or <see cref="DeviceMemory"/> on the
/// run's device): ORT reads parameters and writes results in place. A view is created once
/// per (array, shape) and stays bound across runs, so a steady-state step on the CPU allocates
/// nothing and binds nothing: it only runs. On a GPU the inputs bound from host memory are
/// bound again before each run, because ORT uploads an input when it is bound, not when it
/// runs (device memory and resident constants stay bound).
/// </summary>
public sealed class GraphSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly Dictionary<(object Array, long[] Shape), OrtValue> _views = new(ViewKeyComparer.Instance);
    private readonly Dictionary<OrtValue, (object Array, long[] Shape)> _keyOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, OrtValue> _boundInputs = [];
    private readonly Dictionary<string, OrtValue> _boundOutputs = [];
    // Inputs bound from host memory while the graph runs on a GPU: ORT copies an input to the device when it is
    // bound (IOBinding::BindInput), not at each run, so these are bound again before every run to send their current values.
    private readonly Dictionary<string, OrtValue> _hostInputsToResend = [];
    private readonly ExecutionDevice _device;
    private long _runTicks;

    public GraphSession(byte[] model, ExecutionDevice device)
    {
        _device = device;
        using var options = device.CreateSessionOptions();
        try
        {
            _session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e) when (device.Name == "cuda" && CudaProvider.StartFailure(e.Message) is { } failure)
        {
            throw new DeviceUnavailableException(failure);
        }
        _binding = _session.CreateIoBinding();
        InputNames = _session.InputMetadata.Keys.ToHashSet();
    }

    public IReadOnlySet<string> InputNames { get; }

    /// <summary>Time spent inside ORT's Run so far (lets benchmarks separate our overhead from ORT's).</summary>
    public TimeSpan TimeInRuntime => Stopwatch.GetElapsedTime(0, _runTicks);

    /// <summary>
    /// Binds the first (product of <paramref name="shape"/>) elements of <paramref name="array"/>
    /// as an input; ORT reads the array's current contents at every run. An input the graph
    /// does not read (its objective ignores it) is skipped.
    /// </summary>
    public void Input<T>(string name, T[] array, params long[] shape) where T : unmanaged
    {
        if (!InputNames.Contains(name)) return;
        var view = View(array, shape);
        BindInput(name, view);
        if (_device.Name != "cpu") _hostInputsToResend[name] = view;
    }

    /// <summary>Binds the first elements of <paramref name="memory"/> (host or device) as an input, read in place at every run.</summary>
    public void Input(string name, TensorMemory memory, params long[] shape)
    {
        if (memory is HostMemory host) Input(name, host.Array, shape);
        else if (InputNames.Contains(name))
        {
            BindInput(name, View(memory, shape));
            _hostInputsToResend.Remove(name);
        }
    }

    /// <summary>
    /// Binds an input whose host array never changes while it lives (a graph's edges): on a GPU
    /// it is uploaded once and stays there, instead of crossing the bus at every run.
    /// </summary>
    public void Constant<T>(string name, T[] array, long count) where T : unmanaged
    {
        if (_device.Name != "cuda") Input(name, array, count);
        else if (InputNames.Contains(name))
        {
            BindInput(name, DeviceArena.For(_device).Resident(array, count));
            _hostInputsToResend.Remove(name);
        }
    }

    /// <summary>Binds an output: ORT writes it into <paramref name="array"/> at every run.</summary>
    public void Output<T>(string name, T[] array, params long[] shape) where T : unmanaged => BindOutput(name, View(array, shape));

    /// <summary>Binds an output into <paramref name="memory"/> (host or device).</summary>
    public void Output(string name, TensorMemory memory, params long[] shape)
    {
        if (memory is HostMemory host) Output(name, host.Array, shape);
        else BindOutput(name, View(memory, shape));
    }

    private void BindInput(string name, OrtValue view)
    {
        if (_boundInputs.TryGetValue(name, out var current) && ReferenceEquals(current, view)) return;
        _binding.BindInput(name, view);
        _boundInputs[name] = view;
        if (current is not null) ReleaseIfUnbound(current);
    }

    private void BindOutput(string name, OrtValue view)
    {
        if (_boundOutputs.TryGetValue(name, out var current) && ReferenceEquals(current, view)) return;
        _binding.BindOutput(name, view);
        _boundOutputs[name] = view;
        if (current is not null) ReleaseIfUnbound(current);
    }

    public void Run()
    {
        foreach (var (name, view) in _hostInputsToResend) _binding.BindInput(name, view);
        var start = Stopwatch.GetTimestamp();
        _session.RunWithBinding(_runOptions, _binding);
        _runTicks += Stopwatch.GetTimestamp() - start;
    }

    private OrtValue View<T>(T[] array, long[] shape) where T : unmanaged =>
        View(array, shape, () => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, array.AsMemory(0, (int)shape.Aggregate(1L, (a, b) => a * b)), shape));

    private OrtValue View(TensorMemory memory, long[] shape) => View(memory, shape, () => memory.View(shape));

    private OrtValue View(object owner, long[] shape, Func<OrtValue> create)
    {
        if (!_views.TryGetValue((owner, shape), out var view))
        {
            var key = (owner, shape.ToArray());
            _views[key] = view = create();
            _keyOf[view] = key;
        }
        return view;
    }

    // A name rebound to another view (a table bound at a new step's row count, a short last
    // batch) may leave its old view bound nowhere: free it, so the cache holds only views in use.
    private void ReleaseIfUnbound(OrtValue view)
    {
        // A resident constant's view belongs to the arena.
        if (!_keyOf.ContainsKey(view) || _boundInputs.ContainsValue(view) || _boundOutputs.ContainsValue(view)) return;
        _views.Remove(_keyOf[view]);
        _keyOf.Remove(view);
        view.Dispose();
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var view in _views.Values) view.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>Views are keyed by the array's identity (not its contents) and the shape.</summary>
    private sealed class ViewKeyComparer : IEqualityComparer<(object Array, long[] Shape)>
    {
        public static readonly ViewKeyComparer Instance = new();

        public bool Equals((object Array, long[] Shape) a, (object Array, long[] Shape) b) =>
            ReferenceEquals(a.Array, b.Array) && a.Shape.AsSpan().SequenceEqual(b.Shape);

        public int GetHashCode((object Array, long[] Shape) k)
        {
            var hash = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(k.Array);
            foreach (var d in k.Shape) hash = HashCode.Combine(hash, d);
            return hash;
        }
    }
}
