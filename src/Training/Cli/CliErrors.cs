using InverseLearning.Data;
using InverseLearning.Serving.Devices;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Cli;

/// <summary>Turns the failures a user can cause into one clear line on stderr (safe for a terminal: it may quote a file's name) and exit code 1, never a stack trace.</summary>
public static class CliErrors
{
    /// <param name="action">The verb's work.</param>
    /// <param name="cancel">The command line's token, which Ctrl+C and SIGTERM cancel: only a cancellation it asked for is the user's.</param>
    public static int Run(Func<int> action, CancellationToken cancel)
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
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        // Not the user's: a wait cut short inside the program or a library (a grain activation Orleans gave up on), an error to read as one.
        catch (OperationCanceledException e)
        {
            return Fail($"{WhatWasCancelled(e)} was cancelled, not by Ctrl+C or a signal ({e.GetType().Name}: {e.Message.Split('\n')[0].TrimEnd()}): " +
                        "the program or a library gave up on it; run again, and report it with this line if it recurs");
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

    /// <summary>
    /// The innermost of this program's methods the cancellation went through (ShardClient.Drop): a cancellation says nothing of
    /// what it cut short, and the user has no other name for it to report. An async method or a lambda is its compiler-made
    /// type or method, named after the method in angle brackets.
    /// </summary>
    private static string WhatWasCancelled(Exception e)
    {
        foreach (var frame in new System.Diagnostics.StackTrace(e).GetFrames())
        {
            if (frame.GetMethod() is not { DeclaringType: { } type } method || type.Namespace?.StartsWith("InverseLearning", StringComparison.Ordinal) != true) continue;
            var owner = type;
            while (owner.Name.StartsWith('<') && owner.DeclaringType is { } outer) owner = outer;
            // <Drop>b__0 (a lambda), <Retrying>d__12 (an async method's MoveNext), <<Status>b__0>d (an async lambda's).
            var generated = (method.Name.StartsWith('<') ? method.Name : type.Name).TrimStart('<');
            var end = generated.IndexOf('>');
            return $"{owner.Name}.{(end > 0 ? generated[..end] : method.Name)}";
        }
        return "a wait outside this program's code";
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
