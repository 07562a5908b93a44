using InverseLearning.Serving.Devices;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Runtime;

/// <summary>Where graphs run: a session option, never a separate code path.</summary>
public sealed record ExecutionDevice(string Name, int Threads)
{
    public static readonly IReadOnlyList<string> Names = Serving.Devices.DeviceNames.All;

    /// <summary>ORT's intra-op workers spin while idle only when INVERSELEARNING_ORT_SPINNING is 1; it changes speed, never results.</summary>
    public static bool SpinningAllowed => Environment.GetEnvironmentVariable("INVERSELEARNING_ORT_SPINNING") == "1";

    /// <summary>When set, every session on this device writes ORT's profile (a JSON trace of each node's kernel, provider and time) under this path prefix.</summary>
    public string? ProfilePrefix { get; init; }

    public SessionOptions CreateSessionOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
        };
        // Spinning workers burn the time slices a shared machine's other processes need: off, steps ran 1.4–2.3× faster under load
        // (BENCHMARKS.md). A dedicated machine may set INVERSELEARNING_ORT_SPINNING=1 to let idle workers spin instead of sleeping.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", SpinningAllowed ? "1" : "0");
        if (ProfilePrefix is not null)
        {
            // In this order: enabling takes the prefix set at that moment. ORT writes the trace when the session is disposed.
            options.ProfileOutputPathPrefix = ProfilePrefix;
            options.EnableProfiling = true;
        }
        if (Name == "cuda")
        {
            try
            {
                CudaProvider.Append(options);
            }
            catch (DeviceUnavailableException)
            {
                options.Dispose();
                throw;
            }
        }
        else if (Name != "cpu")
        {
            options.Dispose();
            throw new DeviceUnavailableException($"unknown device '{Name}': expected cpu or cuda.");
        }
        return options;
    }
}
