namespace InverseLearning.Training.Tests.Runner;

/// <summary>
/// Runs a test's code at each epoch's end, once the epoch is checkpointed, with the run's epoch number.
/// Code that reads the trainer is set through <see cref="Then"/> once the trainer is built.
/// </summary>
internal sealed class AtEpochEnd(Action<int>? then = null) : ITrainingObserver
{
    public Action<int>? Then { get; set; } = then;

    public void OnBatch(int epoch, string phase, int done, int total, float loss, double rowsPerSecond) { }

    public void OnEpoch(EpochSummary summary) => Then?.Invoke(summary.Epoch);
}
