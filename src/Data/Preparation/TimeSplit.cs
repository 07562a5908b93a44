namespace InverseLearning.Data;

/// <summary>
/// A split by time, the way feed teams evaluate: the log's last <see cref="TestDays"/> days
/// are test, the <see cref="ValidDays"/> days before them valid, every earlier day train.
/// The days counted are those that hold rows (<see cref="RowDays"/>): a day missing from the
/// log (an outage, a pruned partition) is skipped, not held out empty.
/// </summary>
public sealed record TimeSplit(int ValidDays, int TestDays)
{
    /// <summary>Both at least 1: validation picks the best epoch and test is what the run reports.</summary>
    public void Validate()
    {
        if (ValidDays < 1) throw new ArgumentException($"--valid-days must be at least 1 (the validation days pick the best epoch), got {ValidDays}");
        if (TestDays < 1) throw new ArgumentException($"--test-days must be at least 1, got {TestDays}");
    }

    /// <summary>The flags that give this split.</summary>
    public override string ToString() => $"--split time --valid-days {ValidDays} --test-days {TestDays}";
}
