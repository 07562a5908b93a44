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
            // Ours are one line, which a file's name may break (escaped, not cut); a library's (Orleans') may carry a stack trace after its first.
            var ours = e is DataException or ArgumentException or CheckpointException or IOException or UnauthorizedAccessException;
            var message = ours ? e.Message : e.Message.Split('\n')[0];
            Console.Error.WriteLine($"error: {TerminalText.Safe(message.TrimEnd())}");
            return 1;
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            Console.Error.WriteLine($"error: ONNX Runtime failed: {TerminalText.Safe(e.Message.Split('\n')[0])}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        // A verb that knows what it held says what to do in its own words (import-ratings).
        catch (InsufficientMemoryException e)
        {
            Console.Error.WriteLine($"error: {TerminalText.Safe(e.Message)}");
            return 1;
        }
        // Limits are checked before allocating; one an estimate missed still ends in one line, not a stack trace (nor the runtime's
        // "Exception of type 'System.OutOfMemoryException' was thrown", which adds nothing).
        catch (OutOfMemoryException)
        {
            Console.Error.WriteLine("error: out of memory: the command needed more memory than the machine gave it (where a verb takes --max-memory, give it what the machine can spare, so that such a run is refused before it allocates)");
            return 1;
        }
    }
}
