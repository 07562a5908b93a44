namespace InverseLearning.Serving.Scoring;

/// <summary>Told about every ORT run the batcher makes for requests, a loading model's probe left out (for the batch-size metrics).</summary>
public interface IBatchObserver
{
    void BatchRan(int rows, int requests);
}
