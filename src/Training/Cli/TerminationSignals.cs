using System.Runtime.InteropServices;

namespace InverseLearning.Training.Cli;

/// <summary>
/// Ctrl+C, SIGTERM and SIGHUP (a closed terminal or SSH session) cancel the command's token, so that a run stops where it checks it and cleans up on the way out
/// (a cluster worker tells its run it leaves, a coordinator its workers); without this the runtime ends the process on the
/// spot and no `finally` runs. A command that has not ended <see cref="Grace"/> after the first signal is ended, after the
/// releases registered with <see cref="ForcedExit"/> (a run's folder and its lock), and a second signal ends it at once, as the default would.
/// </summary>
public sealed class TerminationSignals : IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private static readonly PosixSignal[] Signals = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];

    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;

    public TerminationSignals() =>
        _registrations = [.. Signals.Select(signal => PosixSignalRegistration.Create(signal, Handle))];


    public CancellationToken Token => _cancel.Token;

    private void Handle(PosixSignalContext context)
    {
        if (_cancel.IsCancellationRequested) return; // the second: the default, which ends the process
        context.Cancel = true;
        _cancel.Cancel();
        _ = Task.Run(async () =>
        {
            await Task.Delay(Grace);
            Console.Error.WriteLine($"cancelled: still running {Grace.TotalSeconds:F0} s after the signal; ending");
            ForcedExit.Run();
            Environment.Exit(130);
        });
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
