using System.Diagnostics;

namespace InverseLearning.Benchmarks.Serving;

/// <summary>
/// Pins this whole process (every thread it has, and so the threads they start) to a CPU list
/// with util-linux's `taskset -a -p`. .NET's ProcessorAffinity setter would pin only the main
/// thread on Linux, not the thread pool that drives the load.
/// </summary>
public static class CpuPinning
{
    /// <summary>Whether there are two CPUs to separate and `taskset` runs here.</summary>
    public static bool Available() => Environment.ProcessorCount >= 2 && Taskset(["-c", "0", "true"]);

    /// <summary>Pins this process to <paramref name="cpus"/> ("0", "1", "0-1").</summary>
    public static void PinThisProcess(string cpus)
    {
        if (!Taskset(["-a", "-p", "-c", cpus, Environment.ProcessId.ToString()]))
            throw new InvalidOperationException($"taskset could not pin this process to CPUs {cpus}");
    }

    private static bool Taskset(string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("taskset", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
