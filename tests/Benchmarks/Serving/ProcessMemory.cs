namespace InverseLearning.Benchmarks.Serving;

/// <summary>A process's resident memory, from Linux's /proc/PID/status.</summary>
public static class ProcessMemory
{
    public static double RssMegabytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}
