using System.Runtime.InteropServices;

namespace InverseLearning.Training.Cli;

/// <summary>
/// SIGHUP (a closed terminal or SSH session) for `silo`: its host's own lifetime stops it gracefully on Ctrl+C and SIGTERM,
/// not on SIGHUP, whose default ends the process on the spot (no shards' last snapshots). The serving host takes SIGHUP
/// itself; the other verbs take it with <see cref="TerminationSignals"/>.
/// </summary>
public static class HangUpSignal
{
    /// <summary>Until disposed, SIGHUP cancels <paramref name="stop"/> instead of ending the process.</summary>
    public static IDisposable Cancels(CancellationTokenSource stop) => PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
    {
        signal.Cancel = true;
        stop.Cancel();
    });
}
