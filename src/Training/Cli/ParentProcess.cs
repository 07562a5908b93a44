namespace InverseLearning.Training.Cli;

/// <summary>`--exit-with PID`: a process a local cluster or a coordinator started ends when the one that started it does, even after a kill -9 of it.</summary>
public static class ParentProcess
{
    /// <summary>A token cancelled once process <paramref name="processId"/> has ended (checked every 500 ms); <paramref name="who"/> names this process in the line it prints then.</summary>
    public static CancellationTokenSource WhenEnds(int processId, string who)
    {
        var gone = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!gone.IsCancellationRequested)
            {
                if (!IsRunning(processId))
                {
                    Console.Error.WriteLine($"{who}: process {processId} ended; stopping");
                    await gone.CancelAsync();
                    return;
                }
                await Task.Delay(500);
            }
        });
        return gone;
    }

    /// <summary>Refuses an --exit-with naming no running process: the process told to end with it would stop at its first check, its start's work for nothing.</summary>
    public static void RequireRunning(int? processId)
    {
        if (processId is { } id && !IsRunning(id)) throw new ArgumentException($"--exit-with: no process {id} is running");
    }

    /// <summary>Whether process <paramref name="processId"/> exists and has not ended.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
