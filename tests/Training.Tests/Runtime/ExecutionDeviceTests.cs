using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runtime;

public class ExecutionDeviceTests
{
    [Fact]
    public void Cpu_sessions_use_the_requested_threads()
    {
        using var options = new ExecutionDevice("cpu", 3).CreateSessionOptions();
        Assert.Equal(3, options.IntraOpNumThreads);
    }

    [Fact]
    public void Cuda_without_the_gpu_build_is_one_clear_sentence()
    {
        // This project references the CPU build of ONNX Runtime (the GPU package is not on our
        // registry), so asking for CUDA must fail with what to install, not a native error.
        var error = Assert.Throws<DeviceUnavailableException>(() => new ExecutionDevice("cuda", 1).CreateSessionOptions());
        Assert.Contains("GPU build of ONNX Runtime", error.Message);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", error.Message);
    }

    [Fact]
    public void Unknown_device_is_refused()
    {
        var error = Assert.Throws<DeviceUnavailableException>(() => new ExecutionDevice("tpu", 1).CreateSessionOptions());
        Assert.Contains("tpu", error.Message);
    }
}
