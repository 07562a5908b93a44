using System.Runtime.InteropServices;

namespace InverseLearning.Serving.Devices;

/// <summary>
/// ONNX Runtime's own telemetry, turned off for the process: on Linux it keeps a device id under $HOME and uploads usage events to
/// Microsoft, and where HOME cannot be written (the Kubernetes deployment's read-only root) it printed a coloured warning at every
/// start ("Failed to persist telemetry device ID"), past the log's escaping formatter. Only ORT_DISABLE_TELEMETRY, read as the
/// runtime starts, stops all of it: OrtEnv's DisableTelemetryEvents leaves the uploader, its first event and that warning in place.
/// </summary>
public static partial class OrtTelemetry
{
    private const string Variable = "ORT_DISABLE_TELEMETRY";

    /// <summary>
    /// Sets ORT_DISABLE_TELEMETRY=1 where the environment does not set it already (an operator's own value stands); an empty value
    /// is none, as for every setting of the server, and ONNX Runtime reads it as telemetry on. Called first in Main: before ONNX
    /// Runtime starts, and before other threads read the environment, which the C library does not guard.
    /// </summary>
    public static void TurnOff()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) _ = SetNativeVariable(Variable, "1", overwrite: 1);
    }

    /// <summary>
    /// The C library's setenv: ONNX Runtime reads the native environment, which Environment.SetEnvironmentVariable does not change on Unix.
    /// Its only failure is memory running out, in which case telemetry stays on, as before.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNativeVariable(string name, string value, int overwrite);
}
