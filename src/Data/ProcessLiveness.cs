using System.Diagnostics;

namespace InverseLearning.Data;

/// <summary>
/// Whether a process still runs: a file or folder it was writing is not an orphan yet. Internal, and linked into the
/// serving host too (as <see cref="ParquetFooter"/> is), whose model repository removes its orphaned staging folders alike.
/// </summary>
internal static class ProcessLiveness
{
    public static bool IsRunning(int processId)
    {
        if (processId == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
