namespace InverseLearning.Training.Cli;

/// <summary>
/// Training progress on stderr: a bar with loss and rows/s redrawn in place on a
/// terminal; otherwise (logs, CI) one line per epoch.
/// </summary>
public sealed class ConsoleTrainingObserver : ITrainingObserver
{
    private readonly bool _interactive = !Console.IsErrorRedirected;

    public void OnBatch(int epoch, string phase, int done, int total, float loss, double rowsPerSecond)
    {
        if (!_interactive) return;
        const int width = 24;
        var filled = total == 0 ? width : done * width / total;
        Console.Error.Write($"\r  epoch {epoch} {phase,-22} [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total}  loss {loss:F4}  {ConsoleProgress.Human(rowsPerSecond)} rows/s   ");
    }

    public void OnEpoch(EpochSummary s)
    {
        if (_interactive) Console.Error.Write("\r" + new string(' ', 110) + "\r");
        var selection = s.Selection == "loss" ? "" : $", valid {s.Selection} {s.SelectionValue:F4}";
        var validation = s.Validated ? $", valid bce {s.ValidLoss:F4}{selection}" : "";
        Console.Error.WriteLine($"  epoch {s.Epoch} ({s.Phase}): train loss {s.TrainLoss:F4}{validation}{(s.Best ? " (best)" : s.BestStepWithin is { } step ? $" (best at step {step:N0})" : "")}, " +
            $"{s.Seconds:F1} s, {ConsoleProgress.Human(s.RowsPerSecond)} rows/s");
    }
}
