using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>seen.parquet, model.onnx and metrics.json, a run's last files, land together or not at all.</summary>
public sealed class LastFilesTogetherTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    [Fact]
    public void A_run_that_cannot_write_metrics_json_leaves_the_earlier_runs_model_and_seen_list()
    {
        // metrics.json was written after the model was renamed into place: a run failing on it (a full disk) left its model.onnx
        // under the earlier run's metrics.json, where a server watching the folder took it up.
        var dir = feed.Scratch("last-files");
        var (model, seen) = (Path.Combine(dir, InferenceModel.FileName), Path.Combine(dir, InferenceModel.SeenFileName));
        File.WriteAllText(model, "the earlier run's model");
        File.WriteAllText(seen, "the earlier run's seen list");
        // A folder where metrics.json goes fails its write, even to root (whom no permission stops).
        Directory.CreateDirectory(Path.Combine(dir, MetricsJson.FileName));

        Assert.Throws<IOException>(() => TrainingRun.Execute(new TrainSettings
        {
            Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5,
        }, feed.Data, feed.Truth, dir));

        Assert.Equal("the earlier run's model", File.ReadAllText(model));
        Assert.Equal("the earlier run's seen list", File.ReadAllText(seen));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }
}
