using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Serving.Devices;

/// <summary>
/// ONNX Runtime's CUDA execution provider, for the trainer's sessions and the serving host's alike:
/// appending it, and turning ORT's errors about starting it into one line that says what is missing and what to do.
/// </summary>
public static class CudaProvider
{
    /// <summary>
    /// The CUDA 13 libraries ORT 1.32's CUDA provider links besides the driver's (readelf -d libonnxruntime_providers_cuda.so).
    /// ORT's error says only "Failed to load shared library", so we try each.
    /// </summary>
    public static readonly IReadOnlyList<string> CudaLibraries = ["libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcurand.so.10"];

    public const string DriverLibrary = "libcuda.so.1";

    /// <summary>Appends the CUDA provider on GPU 0; one that cannot start is a <see cref="DeviceUnavailableException"/> saying why.</summary>
    public static void Append(SessionOptions options)
    {
        // ORT also logs a failed load on stderr, over several lines; the one line of the exception says it all.
        var env = OrtEnv.Instance();
        var logLevel = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            options.AppendExecutionProvider_CUDA(0);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException)
        {
            throw new DeviceUnavailableException(StartFailure(e.Message) ?? $"--device cuda cannot start: {e.Message.Split('\n')[0]}");
        }
        finally
        {
            env.EnvLogLevel = logLevel;
        }
    }

    /// <summary>
    /// What is missing for CUDA and what to do, in one line, from ONNX Runtime's error and which libraries
    /// <paramref name="loads"/>; null when the error is not about starting CUDA. No GPU shows only when a
    /// session is created, so whoever creates one asks too.
    /// </summary>
    public static string? StartFailure(string ortMessage, Func<string, bool> loads)
    {
        // The CPU package's native library has no CUDA entry point at all.
        if (ortMessage.Contains("OrtSessionOptionsAppendExecutionProvider_CUDA'", StringComparison.Ordinal))
            return "--device cuda: this build has ONNX Runtime's CPU package, without CUDA: build with -p:OrtFlavor=gpu (make build ORT=gpu); or use --device cpu.";
        if (ortMessage.Contains("Failed to load shared library", StringComparison.Ordinal))
        {
            var missing = CudaLibraries.Where(library => !loads(library)).ToList();
            var noDriver = !loads(DriverLibrary);
            if (missing.Count > 0 && noDriver)
                return $"--device cuda: missing CUDA 13 libraries ({string.Join(", ", missing)}) and the NVIDIA driver ({DriverLibrary}): on a machine with an NVIDIA GPU, install CUDA 13 with cuDNN 9 or run the runtime-gpu image; or use --device cpu.";
            if (missing.Count > 0)
                return $"--device cuda: missing CUDA 13 libraries ({string.Join(", ", missing)}): install CUDA 13 with cuDNN 9 (their lib folders on LD_LIBRARY_PATH) or run the runtime-gpu image; or use --device cpu.";
            if (noDriver)
                return $"--device cuda: no NVIDIA driver ({DriverLibrary} is missing): run on a machine with an NVIDIA GPU and its driver (docker run --gpus all for the runtime-gpu image); or use --device cpu.";
        }
        if (ortMessage.Contains("no CUDA-capable device", StringComparison.Ordinal))
            return "--device cuda: no GPU found (no CUDA-capable device is detected): run on a machine with an NVIDIA GPU; or use --device cpu.";
        if (ortMessage.Contains("CUDA driver version is insufficient", StringComparison.Ordinal))
            return "--device cuda: the NVIDIA driver is older than CUDA 13 needs: update the driver; or use --device cpu.";
        return null;
    }

    /// <summary><see cref="StartFailure(string, Func{string, bool})"/> with the libraries this machine has.</summary>
    public static string? StartFailure(string ortMessage) => StartFailure(ortMessage, Loads);

    private static bool Loads(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }
}
