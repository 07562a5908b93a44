using System.Runtime.InteropServices;
using InverseLearning.Serving.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP (a closed SSH session or terminal) once the server listens. The first stops it with a drain and
/// says so, with what the drain waits for; a second ends the process at once, with <see cref="CutShortExitCode"/>. The host's
/// own handling (SIGINT and SIGTERM only) stops it without a word, and takes no notice of a second signal: a drain held by
/// clients that never read went on to the drain timeout whatever was sent.
/// </summary>
/// <param name="exit">Ends the process with the code given, at once (tests watch it instead).</param>
public sealed class StopSignals(IHostApplicationLifetime lifetime, RankStreamDrain streams, TimeSpan drainTimeout, ILogger logger, Action<int> exit) : IDisposable
{
    /// <summary>The exit code of a stop whose drain a second signal cut short: the command line's code for a cancelled run.</summary>
    public const int CutShortExitCode = 130;

    private PosixSignalRegistration[] _registrations = [];
    private int _received;

    /// <summary>Takes the three signals for a listening server, which ends the process through <see cref="ImmediateExit"/> on a second.</summary>
    public static StopSignals Register(IHostApplicationLifetime lifetime, RankStreamDrain streams, TimeSpan drainTimeout, ILogger logger)
    {
        var signals = new StopSignals(lifetime, streams, drainTimeout, logger, ImmediateExit.With);
        signals._registrations = [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, signals.Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, signals.Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, signals.Handle)];
        return signals;
    }

    public void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        var name = context.Signal is PosixSignal.SIGHUP ? "SIGHUP (the terminal or SSH session closed)" : context.Signal.ToString();
        if (Interlocked.Increment(ref _received) == 1)
        {
            logger.LogInformation(
                "{Signal}: stopping; health says NOT_SERVING and new streams are refused (UNAVAILABLE); waiting for {Streams} open RankStreams and the calls in flight, up to the drain timeout of {DrainSeconds} s; a second signal ends it at once",
                name, streams.OpenStreams, drainTimeout.TotalSeconds);
            lifetime.StopApplication();
            return;
        }
        // The log's console writer runs behind a queue that an exit at once would not wait for.
        Console.Error.WriteLine($"cancelled: a second signal ({name}) ended the drain with {streams.OpenStreams} RankStreams still open");
        exit(CutShortExitCode);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
