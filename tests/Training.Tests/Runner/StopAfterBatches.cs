namespace InverseLearning.Training.Tests.Runner;

/// <summary>An observer that stops a run inside an epoch: cancels once <paramref name="epoch"/> has trained <paramref name="batches"/> batches of a pass (reported every 16).</summary>
public sealed class StopAfterBatches(int epoch, int batches) : ITrainingObserver
{
    private readonly CancellationTokenSource _stop = new();

    public CancellationToken Token => _stop.Token;

    public void OnBatch(int epochNumber, string phase, int done, int total, float loss, double rowsPerSecond)
    {
        if (epochNumber == epoch && done >= batches) _stop.Cancel();
    }

    public void OnEpoch(EpochSummary summary) { }

    /// <summary>Trains with <paramref name="settings"/> into <paramref name="dir"/> until stopped; asserts it was stopped and left a mid-epoch checkpoint.</summary>
    public static void Interrupt(TrainSettings settings, Data.PreparedDataset data, Data.Simulation.GroundTruth truth, string dir, int epoch, int batches)
    {
        var stop = new StopAfterBatches(epoch, batches);
        Assert.ThrowsAny<OperationCanceledException>(() => TrainingRun.Execute(settings, data, truth, dir, stop, cancel: stop.Token));
        Assert.NotNull(InverseLearning.Training.Artifacts.Checkpoint.ReadHeader(Path.Combine(dir, "last.checkpoint")).Run.Position);
    }

    /// <summary>
    /// A run stopped after <paramref name="batches"/> batches of <paramref name="epoch"/> and resumed from its
    /// mid-epoch checkpoint ends as the uninterrupted run does: the same test metrics, the same last checkpoint byte for byte.
    /// </summary>
    public static void AssertResumeIsExact(TrainSettings settings, Data.PreparedDataset data, Data.Simulation.GroundTruth truth, string wholeDir, string stoppedDir, int epoch, int batches)
    {
        var whole = TrainingRun.Execute(settings, data, truth, wholeDir);
        Interrupt(settings, data, truth, stoppedDir, epoch, batches);
        var resumed = TrainingRun.Execute(settings, data, truth, stoppedDir, resumeFrom: Path.Combine(stoppedDir, "last.checkpoint"));
        Assert.Equal(whole.Test, resumed.Test);
        Assert.Equal(File.ReadAllBytes(Path.Combine(wholeDir, "last.checkpoint")), File.ReadAllBytes(Path.Combine(stoppedDir, "last.checkpoint")));
    }
}
