using System.Diagnostics;

namespace InverseLearning.Data;

/// <summary>
/// Whether a process still runs: a file or folder it was writing is not an orphan yet. Internal, and linked into the
/// serving host too (as <see cref="ParquetFooter"/> is), whose model repository removes its orphaned staging folders alike.
/// </summary>
internal static class ProcessLiveness
{
    /// <summary>
    /// This machine as a writer names it in what it is writing (a staging folder, a temporary file), beside its process id: the
    /// machine name's ASCII letters and digits, so that it never holds a name's separator. A process id means something only on
    /// its own machine, and a volume may be shared between machines (a ReadWriteMany volume between pods).
    /// </summary>
    public static string HostTag { get; } = TagOf(Environment.MachineName);

    internal static string TagOf(string machineName)
    {
        var kept = new string([.. machineName.Where(char.IsAsciiLetterOrDigit).Take(63)]);
        return kept.Length > 0 ? kept : "host";
    }

    /// <summary>
    /// Whether what the writer <paramref name="processId"/> on <paramref name="host"/> left may still be being written. Another
    /// machine's processes cannot be looked at from here, so its are; this machine's while the process runs. A name from before
    /// writers named their host (null) is judged by its process id alone, as it was.
    /// </summary>
    public static bool MayStillBeWriting(string? host, int processId) => (host is not null && host != HostTag) || IsRunning(processId);

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
