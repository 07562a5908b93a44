namespace InverseLearning.Serving.Scoring;

/// <summary>Told about every ORT run the batcher makes (for the batch-size metrics).</summary>
public interface IBatchObserver
{
    void BatchRan(int rows, int requests);
}
