using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>A signal that comes once the last epoch has trained, while the run evaluates: the run is cancelled, not finished.</summary>
public sealed class CancelAfterTrainingTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    private sealed class CancelAtLastEpoch(int epochs) : ITrainingObserver
    {
        private readonly CancellationTokenSource _cancel = new();
        public CancellationToken Token => _cancel.Token;
        public void OnBatch(int epoch, string phase, int done, int total, float loss, double rowsPerSecond) { }
        public void OnEpoch(EpochSummary summary)
        {
            if (summary.Epoch == epochs) _cancel.Cancel();
        }
    }

    [Fact]
    public void A_signal_after_the_last_epoch_cancels_the_evaluation_and_exports_nothing()
    {
        var settings = new TrainSettings
        {
            Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5,
        };
        var cancel = new CancelAtLastEpoch(settings.Epochs);
        var dir = feed.Scratch("cancel-after-training");

        Assert.ThrowsAny<OperationCanceledException>(() => TrainingRun.Execute(settings, feed.Data, feed.Truth, dir, cancel, cancel: cancel.Token));

        Assert.True(File.Exists(Path.Combine(dir, "last.checkpoint")), "the trained epoch's checkpoint is kept");
        Assert.False(File.Exists(Path.Combine(dir, "model.onnx")));
        Assert.False(File.Exists(Path.Combine(dir, "metrics.json")));
    }
}
