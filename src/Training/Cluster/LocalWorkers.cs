using System.Diagnostics;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// Workers 1..M−1 of a run, started by its coordinator as processes of this executable on this
/// machine (train --spawn-workers): the coordinator's own command line, with --worker and --run
/// added. Each writes its console to worker-N.log in the run folder. A worker that exits with an
/// error fails the coordinator's next wait at once instead of after its patience.
/// </summary>
public sealed class LocalWorkers : IDisposable
{
    private readonly List<(int Index, Process Process, StreamWriter Log)> _workers = [];

    public static LocalWorkers Start(IReadOnlyList<string> coordinatorArgs, int workers, string run, string logDirectory)
    {
        Directory.CreateDirectory(logDirectory);
        var started = new LocalWorkers();
        for (var index = 1; index < workers; index++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(LocalWorkers).Assembly.Location);
            foreach (var arg in coordinatorArgs.Where(a => a != "--spawn-workers")) start.ArgumentList.Add(arg);
            foreach (var arg in new[] { "--worker", $"{index}", "--run", run }) start.ArgumentList.Add(arg);
            var process = Process.Start(start) ?? throw new IOException($"could not start worker {index}");
            var log = new StreamWriter(Path.Combine(logDirectory, $"worker-{index}.log")) { AutoFlush = true };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            started._workers.Add((index, process, log));
        }
        return started;
    }

    /// <summary>Throws, naming the worker and its log, if one has exited with an error.</summary>
    public void RequireRunning()
    {
        foreach (var (index, process, log) in _workers)
            if (process.HasExited && process.ExitCode != 0)
                throw new IOException($"worker {index} failed (exit code {process.ExitCode}); see {((FileStream)log.BaseStream).Name}");
    }

    /// <summary>Waits for every worker to end; false when one did not within <paramref name="timeout"/> or failed.</summary>
    public bool WaitForAll(TimeSpan timeout) => _workers.All(w => w.Process.WaitForExit(timeout) && w.Process.ExitCode == 0);

    public void Dispose()
    {
        foreach (var (_, process, log) in _workers)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
            lock (log) log.Dispose();
        }
    }
}
