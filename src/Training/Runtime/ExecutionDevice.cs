using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Runtime;

/// <summary>Where graphs run: a session option, never a separate code path.</summary>
public sealed record ExecutionDevice(string Name, int Threads)
{
    public static readonly IReadOnlyList<string> Names = ["cpu", "cuda"];

    /// <summary>ORT's intra-op workers spin while idle only when INVERSELEARNING_ORT_SPINNING is 1; it changes speed, never results.</summary>
    public static bool SpinningAllowed => Environment.GetEnvironmentVariable("INVERSELEARNING_ORT_SPINNING") == "1";

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
        if (Name == "cuda")
        {
            // ORT also logs a failed load on stderr, over several lines; the one line below says it all.
            var env = OrtEnv.Instance();
            var logLevel = env.EnvLogLevel;
            env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            try
            {
                options.AppendExecutionProvider_CUDA(0);
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException)
            {
                options.Dispose();
                throw new DeviceUnavailableException(CudaStartFailure(e.Message) ?? $"--device cuda cannot start: {e.Message.Split('\n')[0]}");
            }
            finally
            {
                env.EnvLogLevel = logLevel;
            }
        }
        else if (Name != "cpu")
        {
            options.Dispose();
            throw new DeviceUnavailableException($"unknown device '{Name}': expected cpu or cuda.");
        }
        return options;
    }

    /// <summary>
    /// The CUDA 13 libraries ORT 1.32's CUDA provider links besides the driver's (readelf -d libonnxruntime_providers_cuda.so).
    /// ORT's error says only "Failed to load shared library", so we try each.
    /// </summary>
    public static readonly IReadOnlyList<string> CudaLibraries = ["libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcurand.so.10"];

    public const string DriverLibrary = "libcuda.so.1";

    /// <summary>
    /// What is missing for CUDA and what to do, in one line, from ONNX Runtime's error and which libraries
    /// <paramref name="loads"/>; null when the error is not about starting CUDA. No GPU shows only when a
    /// session is created, so <see cref="GraphSession"/> asks too.
    /// </summary>
    public static string? CudaStartFailure(string ortMessage, Func<string, bool> loads)
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

    /// <summary><see cref="CudaStartFailure(string, Func{string, bool})"/> with the libraries this machine has.</summary>
    public static string? CudaStartFailure(string ortMessage) => CudaStartFailure(ortMessage, Loads);

    private static bool Loads(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }
}

/// <summary>The requested execution provider cannot be used; the message says why and what to do.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
