using System.Runtime.InteropServices;
using InverseLearning.Serving.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP (a closed SSH session or terminal), from the start of the server's run. The first stops it: while
/// it starts (loads its model, binds its ports), by cancelling the start; once it listens, with a drain, said with what the drain
/// waits for. A second ends the process at once, with <see cref="CutShortExitCode"/>, whichever the first stopped. The same signal
/// again within <see cref="SameRequestWindow"/> of the first is that first's copy, not a second: GNU timeout and a process group's
/// kill send the child one SIGTERM and its group another, microseconds apart. The host's own handling (SIGINT and SIGTERM only,
/// from its start's end) stops it without a word, and takes no notice of a second signal: a drain held by clients that never read
/// went on to the drain timeout whatever was sent.
/// </summary>
/// <param name="starting">Cancelled by a first signal that comes before <see cref="Listening"/>.</param>
/// <param name="exit">Ends the process with the code given, at once (tests watch it instead).</param>
/// <param name="time">Tells a first signal's copy from a second signal (tests give their own clock); the system's when null.</param>
public sealed class StopSignals(CancellationTokenSource starting, Action<int> exit, TimeProvider? time = null) : IDisposable
{
    /// <summary>The exit code of a stop that a second signal cut short: the command line's code for a cancelled run.</summary>
    public const int CutShortExitCode = 130;

    /// <summary>How long after the first signal the same signal is taken as its copy (one sent to the process group too).</summary>
    public static readonly TimeSpan SameRequestWindow = TimeSpan.FromSeconds(0.5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private PosixSignalRegistration[] _registrations = [];
    private (PosixSignal Signal, long At, string What)? _first;
    private volatile Drain? _drain;

    private sealed record Drain(IHostApplicationLifetime Lifetime, RankStreamDrain Streams, TimeSpan Timeout, ILogger Logger);

    /// <summary>Takes the three signals, which end the process through <see cref="ImmediateExit"/> on a second.</summary>
    public static StopSignals Register(CancellationTokenSource starting)
    {
        var signals = new StopSignals(starting, ImmediateExit.With);
        signals._registrations = [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, signals.Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, signals.Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, signals.Handle)];
        return signals;
    }

    /// <summary>The server listens: a first signal from now on stops it with a drain of its calls and <paramref name="streams"/>.</summary>
    public void Listening(IHostApplicationLifetime lifetime, RankStreamDrain streams, TimeSpan drainTimeout, ILogger logger) =>
        _drain = new Drain(lifetime, streams, drainTimeout, logger);

    public void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        var name = context.Signal is PosixSignal.SIGHUP ? "SIGHUP (the terminal or SSH session closed)" : context.Signal.ToString();
        var drain = _drain;
        (PosixSignal Signal, long At, string What) first;
        lock (_gate)
        {
            if (_first is null)
            {
                _first = (context.Signal, _time.GetTimestamp(), drain is null ? $"{name} cancelled the start" : $"{name} started a drain");
                if (drain is null)
                {
                    starting.Cancel();
                    return;
                }
                drain.Logger.LogInformation(
                    "{Signal}: stopping; health says NOT_SERVING and new streams are refused (UNAVAILABLE); waiting for {Streams} open RankStreams and the calls in flight, up to the drain timeout of {DrainSeconds} s; a second signal ends it at once",
                    name, drain.Streams.OpenStreams, drain.Timeout.TotalSeconds);
                drain.Lifetime.StopApplication();
                return;
            }
            first = _first.Value;
        }
        if (context.Signal == first.Signal && _time.GetElapsedTime(first.At) < SameRequestWindow) return;
        // The log's console writer runs behind a queue that an exit at once would not wait for: this line says what the first began.
        Console.Error.WriteLine(drain is null
            ? $"cancelled: {first.What}, and a second signal ({name}) ended the process"
            : $"cancelled: {first.What}, and a second signal ({name}) ended it with {drain.Streams.OpenStreams} RankStreams still open");
        exit(CutShortExitCode);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
