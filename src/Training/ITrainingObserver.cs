namespace InverseLearning.Training;

/// <summary>Receives progress from a run: each batch and each epoch's summary (the CLI draws it).</summary>
public interface ITrainingObserver
{
    void OnBatch(int epoch, string phase, int done, int total, float loss, double rowsPerSecond);
    void OnEpoch(EpochSummary summary);
}
