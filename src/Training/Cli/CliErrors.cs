using InverseLearning.Data;
using InverseLearning.Serving.Devices;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Cli;

/// <summary>Turns the failures a user can cause into one clear line on stderr (safe for a terminal: it may quote a file's name) and exit code 1, never a stack trace.</summary>
public static class CliErrors
{
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is DataException or ArgumentException or CheckpointException or DeviceUnavailableException
                                       or TrainingDivergedException or IOException or UnauthorizedAccessException or InvalidDataException
                                       // A cluster's refusals and give-ups (a worker declared lost, a run held by another coordinator, a wait past its patience).
                                       or InvalidOperationException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            return Report(e);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            return Fail($"ONNX Runtime failed: {e.Message.Split('\n')[0]}");
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        // A verb that knows what it held says what to do in its own words (import-ratings).
        catch (InsufficientMemoryException e)
        {
            return Fail(e.Message);
        }
        // Limits are checked before allocating; one an estimate missed still ends in one line, not a stack trace (nor the runtime's
        // "Exception of type 'System.OutOfMemoryException' was thrown", which adds nothing).
        catch (OutOfMemoryException)
        {
            return Fail("out of memory: the command needed more memory than the machine gave it (where a verb takes --max-memory, give it what the machine can spare, so that such a run is refused before it allocates)");
        }
    }

    /// <summary>A failure as one error line (see <see cref="Fail"/>), exit code 1.</summary>
    public static int Report(Exception e)
    {
        // Ours are one line, which a file's name may break (escaped, not cut); a library's (Orleans') may carry a stack trace after its first.
        var ours = e is DataException or ArgumentException or CheckpointException or IOException or UnauthorizedAccessException;
        return Fail(ours ? MessageOf(e) : e.Message.Split('\n')[0]);
    }

    /// <summary>
    /// Writes the command line's error line, and returns exit code 1: every error it prints comes through here, escaped
    /// (<see cref="TerminalText.ErrorLine"/>) so that a file's name or a value it quotes keeps it one line and cannot drive the terminal.
    /// </summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {TerminalText.ErrorLine(message.TrimEnd())}");
        return 1;
    }

    /// <summary>
    /// The message the user reads: an argument check's without what .NET adds to it, " (Parameter 'x')" and the line "Actual value
    /// was …", which name the code's parameters, not the user's flags.
    /// </summary>
    private static string MessageOf(Exception e)
    {
        if (e is not ArgumentException { ParamName: { Length: > 0 } name }) return e.Message;
        var added = e.Message.LastIndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
        return added < 0 ? e.Message : e.Message[..added];
    }
}
