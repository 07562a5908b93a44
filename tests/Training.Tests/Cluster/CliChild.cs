using System.Diagnostics;
using System.Text;
using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>The CLI in a process of its own, its stderr collected, for tests that signal, kill or outlive it; killed with its children when disposed.</summary>
public sealed class CliChild : IDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    public CliChild(params string[] args) : this(new Dictionary<string, string>(), args)
    {
    }

    /// <param name="environment">Variables the child gets beside this process's own.</param>
    /// <param name="args">The command line, verb first.</param>
    public CliChild(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        foreach (var arg in (string[])[typeof(LocalCluster).Assembly.Location, .. args]) start.ArgumentList.Add(arg);
        Process = new Process { StartInfo = start };
        Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
                Seen(e.Data);
            }
        };
        // A server logs to stdout: its lines are awaited too, not kept.
        Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) Seen(e.Data);
        };
        Process.Start();
        Process.BeginErrorReadLine();
        Process.BeginOutputReadLine();
    }

    private void Seen(string line)
    {
        foreach (var (text, seen) in _awaited) if (line.Contains(text)) seen.TrySetResult();
    }

    public Process Process { get; }

    public string Stderr
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>Completes once a line of stderr or stdout holds <paramref name="text"/> (at once if one of stderr did), failing after <paramref name="limit"/>.</summary>
    public Task Said(string text, TimeSpan limit)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderr)
        {
            if (_stderr.ToString().Contains(text)) seen.TrySetResult();
            else _awaited.Add((text, seen));
        }
        return seen.Task.WaitAsync(limit);
    }

    /// <summary>Sends a signal by name (TERM, KILL, STOP, CONT), as kill(1) does.</summary>
    public static async Task Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", $"{processId}"])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>The processes <paramref name="parent"/> started, with their command lines.</summary>
    public static IReadOnlyList<(int Id, string CommandLine)> Children(int parent) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => int.TryParse(d, out _)).Select(d =>
        {
            try
            {
                // /proc/PID/stat: "PID (name) STATE PPID ..."; the name may hold spaces, so fields are counted after its ')'.
                var stat = File.ReadAllText($"/proc/{d}/stat");
                var ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                return (Id: int.Parse(d!), Parent: ppid, CommandLine: File.ReadAllText($"/proc/{d}/cmdline").Replace('\0', ' '));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return (Id: 0, Parent: -1, CommandLine: "");
            }
        }).Where(p => p.Parent == parent).Select(p => (p.Id, p.CommandLine)).ToList();

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
