using System.Runtime.InteropServices;

namespace InverseLearning.Training.Cli;

/// <summary>
/// SIGHUP (a closed terminal or SSH session) for the hosts, `serve` and `silo`: their own lifetime stops them gracefully on
/// Ctrl+C and SIGTERM, not on SIGHUP, whose default ends the process on the spot (no drain, no shards' last snapshots).
/// The other verbs take it with <see cref="TerminationSignals"/>.
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
