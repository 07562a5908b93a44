using System.Runtime.InteropServices;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Ends the process at once, without its exit handlers: a host's own handlers wait for its graceful stop (a drain, a silo's
/// last snapshots), which is what a second stop signal, or a silo declared dead, must not wait for.
/// </summary>
public static class ImmediateExit
{
    public static void With(int code)
    {
        try
        {
            Exit(code);
        }
        // No C library's _exit (not Linux or macOS): the runtime's own exit, its handlers run.
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Environment.Exit(code);
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);
}
