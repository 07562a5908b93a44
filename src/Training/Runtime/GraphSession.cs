using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// One ONNX graph loaded in ORT, run through an <see cref="OrtIoBinding"/> whose inputs
/// and outputs are views of host buffers we own: ORT reads parameters and writes results
/// in place, so a step allocates nothing of table size.
/// </summary>
public sealed class GraphSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _bound = [];

    public GraphSession(byte[] model, ExecutionDevice device)
    {
        using var options = device.CreateSessionOptions();
        _session = new InferenceSession(model, options);
        _binding = _session.CreateIoBinding();
        InputNames = _session.InputMetadata.Keys.ToHashSet();
    }

    public IReadOnlySet<string> InputNames { get; }

    /// <summary>Binds an input; one the graph does not read (its objective ignores it) is skipped.</summary>
    public void Input<T>(string name, Memory<T> data, params long[] shape) where T : unmanaged
    {
        if (!InputNames.Contains(name)) return;
        var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape);
        _bound.Add(value);
        _binding.BindInput(name, value);
    }

    public void Output<T>(string name, Memory<T> data, params long[] shape) where T : unmanaged
    {
        var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape);
        _bound.Add(value);
        _binding.BindOutput(name, value);
    }

    /// <summary>Runs with what was bound since the last run, then releases those bindings' views.</summary>
    public void Run()
    {
        try
        {
            _session.RunWithBinding(_runOptions, _binding);
        }
        finally
        {
            _binding.ClearBoundInputs();
            _binding.ClearBoundOutputs();
            foreach (var value in _bound) value.Dispose();
            _bound.Clear();
        }
    }

    public void Dispose()
    {
        _binding.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
