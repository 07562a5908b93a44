using System.Runtime.InteropServices;
using InverseLearning.Serving.Devices;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Runtime;

public class ExecutionDeviceTests
{
    // Built with -p:OrtFlavor=gpu, ORT is the CUDA package: it lists the CUDA provider even without CUDA installed.
    private static bool GpuPackage => OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");

    /// <summary>The GPU package, the NVIDIA driver and the CUDA 13 libraries its provider links are all here.</summary>
    private static bool CudaCanStart =>
        GpuPackage && NativeLibrary.TryLoad(CudaProvider.DriverLibrary, out _) && CudaProvider.CudaLibraries.All(l => NativeLibrary.TryLoad(l, out _));

    [Fact]
    public void Cpu_sessions_use_the_requested_threads()
    {
        using var options = new ExecutionDevice("cpu", 3).CreateSessionOptions();
        Assert.Equal(3, options.IntraOpNumThreads);
    }

    [Fact]
    public void Cuda_runs_a_graph_where_it_can_start_and_is_one_line_naming_what_is_missing_where_it_cannot()
    {
        // The suite runs in both flavors, on machines without CUDA (CI, developers) and with CUDA 13: each is held to what it should do there.
        if (CudaCanStart) CudaRunsAGraph();
        else CudaIsOneLineNamingWhatIsMissing();
    }

    private static void CudaRunsAGraph()
    {
        var g = new GraphBuilder("squares");
        var x = g.Input("x", DType.Float, 3);
        var squares = g.Named(g.Mul(x, x), "y");
        using var options = new ExecutionDevice("cuda", 1).CreateSessionOptions();
        using var session = new InferenceSession(g.ToBytes([squares]), options);
        using var input = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 2, 3 }, [3]);

        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["x"] = input }, ["y"]);

        Assert.Equal(new[] { 1f, 4f, 9f }, results[0].GetTensorDataAsSpan<float>().ToArray());
    }

    private static void CudaIsOneLineNamingWhatIsMissing()
    {
        var error = Assert.Throws<DeviceUnavailableException>(() => new ExecutionDevice("cuda", 1).CreateSessionOptions());
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(GpuPackage ? "libcublasLt.so.13" : "build with -p:OrtFlavor=gpu", error.Message);
    }

    [Fact]
    public void Unknown_device_is_refused()
    {
        var error = Assert.Throws<DeviceUnavailableException>(() => new ExecutionDevice("tpu", 1).CreateSessionOptions());
        Assert.Contains("tpu", error.Message);
    }
}
