using System.Diagnostics;
using System.Globalization;

namespace InverseLearning.Benchmarks.Serving;

/// <summary>
/// CPU time a process has used (user + system, all threads), from Linux's /proc/PID/stat, so a
/// load run can say how busy the server's core and the generator's core each were: the side
/// near 100 % is the one that sets the throughput.
/// </summary>
public static class CpuClock
{
    /// <summary>clock ticks per second of /proc's utime and stime; 100 on every Linux ABI .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Runs <paramref name="work"/> and returns its result with the share of one core each process used meanwhile.</summary>
    public static async Task<(T Result, double Server, double Generator)> MeasureAsync<T>(int serverId, Func<Task<T>> work)
    {
        var self = Environment.ProcessId;
        var (server, generator) = (Of(serverId), Of(self));
        var clock = Stopwatch.StartNew();
        var result = await work();
        var wall = clock.Elapsed.TotalSeconds;
        return (result, (Of(serverId) - server).TotalSeconds / wall, (Of(self) - generator).TotalSeconds / wall);
    }
}
