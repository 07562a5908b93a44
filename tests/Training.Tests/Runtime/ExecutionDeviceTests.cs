using System.Runtime.InteropServices;
using InverseLearning.Serving.Devices;
using InverseLearning.Training.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Runtime;

public class ExecutionDeviceTests
{
    // Built with -p:OrtFlavor=gpu, ORT is the CUDA package: it lists the CUDA provider even without CUDA installed.
    private static bool GpuPackage => OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");

    [Fact]
    public void Cpu_sessions_use_the_requested_threads()
    {
        using var options = new ExecutionDevice("cpu", 3).CreateSessionOptions();
        Assert.Equal(3, options.IntraOpNumThreads);
    }

    [Fact]
    public void Cuda_that_cannot_start_is_one_line_naming_what_is_missing()
    {
        // The suite runs in both flavors on machines without CUDA (CI, developers). On a machine
        // with CUDA 13 the GPU flavor starts CUDA, and there is no failure to check.
        if (GpuPackage && NativeLibrary.TryLoad(CudaProvider.DriverLibrary, out _) && CudaProvider.CudaLibraries.All(l => NativeLibrary.TryLoad(l, out _))) return;
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
