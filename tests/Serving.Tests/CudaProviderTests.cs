using InverseLearning.Serving.Devices;

namespace InverseLearning.Serving.Tests;

/// <summary>The one line a CUDA provider that cannot start becomes, for the trainer and the serving host alike.</summary>
public class CudaProviderTests
{
    // ORT's own texts, recorded with each package on a machine without CUDA (README, "The GPU build").
    private const string CpuPackageError = "Unable to find an entry point named 'OrtSessionOptionsAppendExecutionProvider_CUDA' in shared library 'onnxruntime'.";
    private const string ProviderLoadError = "[ErrorCode:Fail] OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library";

    [Fact]
    public void The_cpu_package_says_to_build_the_gpu_flavor()
    {
        var line = CudaProvider.StartFailure(CpuPackageError, _ => true);
        Assert.Contains("CPU package", line);
        Assert.Contains("--device cpu", line);
        Assert.Contains("build with -p:OrtFlavor=gpu", line);
    }

    [Fact]
    public void A_provider_that_cannot_load_names_the_missing_cuda_libraries()
    {
        var line = CudaProvider.StartFailure(ProviderLoadError, library => library is not ("libcublasLt.so.13" or "libcurand.so.10"));
        Assert.Contains("missing CUDA 13 libraries (libcublasLt.so.13, libcurand.so.10): install CUDA 13 with cuDNN 9", line);
        Assert.Contains("runtime-gpu image", line);
        Assert.DoesNotContain("driver", line);
    }

    [Fact]
    public void A_provider_that_cannot_load_without_the_driver_says_so()
    {
        var line = CudaProvider.StartFailure(ProviderLoadError, library => library != CudaProvider.DriverLibrary);
        Assert.Contains("no NVIDIA driver (libcuda.so.1 is missing)", line);
    }

    [Fact]
    public void A_machine_without_cuda_or_a_driver_hears_of_both()
    {
        var line = CudaProvider.StartFailure(ProviderLoadError, _ => false);
        Assert.Contains("missing CUDA 13 libraries (libcudart.so.13, libcublasLt.so.13, libcublas.so.13, libcurand.so.10) and the NVIDIA driver (libcuda.so.1)", line);
    }

    [Theory]
    [InlineData("[ErrorCode:Fail] CUDA failure 100: no CUDA-capable device is detected ; GPU=-1 ; hostname=node ; file=cuda_execution_provider.cc ; line=282 ; expr=cudaSetDevice(info_.device_id);",
                "no GPU found")]
    [InlineData("[ErrorCode:Fail] CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version ; GPU=0 ; hostname=node ; file=cuda_execution_provider.cc ; line=282 ; expr=cudaSetDevice(info_.device_id);",
                "the NVIDIA driver is older than CUDA 13 needs")]
    public void A_session_without_a_usable_gpu_says_so(string ortMessage, string expected)
    {
        var line = CudaProvider.StartFailure(ortMessage, _ => true);
        Assert.Contains(expected, line);
        Assert.Contains("--device cpu", line);
    }

    [Fact]
    public void Errors_not_about_starting_cuda_are_left_as_they_are()
    {
        Assert.Null(CudaProvider.StartFailure("[ErrorCode:InvalidGraph] Load model from memory failed: This is an invalid model.", _ => true));
        // Every library there, yet the provider did not load: no guess.
        Assert.Null(CudaProvider.StartFailure(ProviderLoadError, _ => true));
    }
}
