using System.Diagnostics;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// Workers 1..M−1 of a run, started by its coordinator as processes of this executable on this
/// machine (train --spawn-workers): the coordinator's own command line, with --worker and --run
/// and --exit-with added (a worker ends with its coordinator, even a killed one, so none of them
/// is left to join a resumed run). Each writes its console to worker-N.log in the run folder.
/// One that ends before it joins stops the coordinator's wait at once (<see cref="IStartedWorkers"/>); one that dies after is
/// the run's to notice (--worker-timeout), as on separate machines.
/// </summary>
public sealed class LocalWorkers : IDisposable, IStartedWorkers
{
    private readonly List<(int Index, Process Process, StreamWriter Log)> _workers = [];
    private readonly List<string> _logFiles = [];
    private readonly Dictionary<int, string> _lastLines = [];

    /// <summary>The log file of each worker started (what it printed).</summary>
    public IReadOnlyList<string> LogFiles => _logFiles;

    public static LocalWorkers Start(IReadOnlyList<string> coordinatorArgs, int workers, string run, string logDirectory)
    {
        Directory.CreateDirectory(logDirectory);
        var started = new LocalWorkers();
        for (var index = 1; index < workers; index++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(LocalWorkers).Assembly.Location);
            foreach (var arg in WorkerArgs(coordinatorArgs)) start.ArgumentList.Add(arg);
            foreach (var arg in new[] { "--worker", $"{index}", "--run", run, "--exit-with", $"{Environment.ProcessId}" }) start.ArgumentList.Add(arg);
            var process = Process.Start(start) ?? throw new IOException($"could not start worker {index}");
            var logFile = Path.Combine(logDirectory, $"worker-{index}.log");
            var log = new StreamWriter(logFile) { AutoFlush = true };
            started._logFiles.Add(logFile);
            var worker = index;
            void Write(string? line)
            {
                if (line is null) return;
                lock (log) log.WriteLine(line);
                if (line.Trim().Length > 0) lock (started._lastLines) started._lastLines[worker] = line.Trim();
            }
            process.ErrorDataReceived += (_, e) => Write(e.Data);
            process.OutputDataReceived += (_, e) => Write(e.Data);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            started._workers.Add((index, process, log));
        }
        return started;
    }

    public IReadOnlyList<int> Ended => _workers.Where(w => w.Process.HasExited).Select(w => w.Index).ToList();

    public string HowEnded(int index)
    {
        var (_, process, log) = _workers.Single(w => w.Index == index);
        // Returns once the redirected output has been read to its end, so that its last line is in.
        process.WaitForExit();
        string? lastLine;
        lock (_lastLines) _lastLines.TryGetValue(index, out lastLine);
        return $"exit code {process.ExitCode}; its log {_logFiles[index - 1]}" + (lastLine is null ? " is empty" : $" ends: {lastLine}");
    }

    // The coordinator's arguments without what names the coordinator (its --run, --worker, --exit-with with their values, --spawn-workers), which each worker is given anew.
    private static IEnumerable<string> WorkerArgs(IReadOnlyList<string> coordinatorArgs)
    {
        for (var k = 0; k < coordinatorArgs.Count; k++)
        {
            var arg = coordinatorArgs[k];
            if (arg is "--run" or "--worker" or "--exit-with")
            {
                k++;
                continue;
            }
            if (arg.StartsWith("--spawn-workers") || arg.StartsWith("--run=") || arg.StartsWith("--worker=") || arg.StartsWith("--exit-with=")) continue;
            yield return arg;
        }
    }

    public void Dispose()
    {
        foreach (var (_, process, log) in _workers)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
            lock (log) log.Dispose();
        }
        // Stopped once: a diverged run stops them before its shards are dropped, and again as it ends.
        _workers.Clear();
    }
}
