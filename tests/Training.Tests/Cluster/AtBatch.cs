namespace InverseLearning.Training.Tests.Cluster;

/// <summary>An observer that does <paramref name="act"/> once, when the trainer reports its <paramref name="batch"/>-th progress (a fault injected inside an epoch).</summary>
public sealed class AtBatch(int batch, Action act) : ITrainingObserver
{
    private int _batches;

    public void OnBatch(int epoch, string phase, int done, int total, float loss, double rowsPerSecond)
    {
        if (++_batches == batch) act();
    }

    public void OnEpoch(EpochSummary summary) { }
}
