using Orleans.Runtime;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// A silo's fatal error told in one line, then the process ends with exit code 1. The usual one: the other silos declared
/// this one dead (it missed their probes: paused, overloaded or cut off), and its shards went on from their snapshots there.
/// Orleans' own handler writes the error with two stack traces and aborts; a graceful stop instead would have this silo's
/// shards snapshot on their way out, over the snapshots their new activations on the other silos write.
/// </summary>
public sealed class OneLineFatalErrorHandler : IFatalErrorHandler
{
    public const int ExitCode = 1;

    // As Orleans' own handler judges.
    public bool IsUnexpected(Exception exception) => exception is not ThreadAbortException;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        Console.Error.WriteLine(Line(sender, context, exception));
        Console.Error.Flush();
        // Without the process's exit handlers: the host's would stop the silo gracefully, and its shards would snapshot.
        Serving.Operations.ImmediateExit.With(ExitCode);
    }

    /// <summary>What the silo says as it ends; the membership's fatal error is always this silo declared dead (or unable to say it is alive).</summary>
    public static string Line(object? sender, string? context, Exception? exception)
    {
        var why = FirstLine(context) + (exception is { } e ? $" ({e.GetType().Name}: {ClusterFailure.Reason(e)})" : "");
        return sender?.GetType().Name == "MembershipTableManager"
            ? $"error: this silo was declared dead by its cluster and stops ({why}); its shards go on from their snapshots on the other silos: start it again to rejoin"
            : $"error: the silo stops on a fatal error in {sender?.GetType().Name ?? "Orleans"} ({why}): start it again";
    }

    private static string FirstLine(string? text) => (text ?? "no context").Split('\n', 2)[0].TrimEnd('\r');
}
