using InverseLearning.Training.Reports;
namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>An experiment cancelled after its last run's last check of the token: told, not finished as if it had not been.</summary>
public class ExperimentCancelTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public ExperimentCancelTests(TinyFeed feed) => _feed = feed;

    [Fact]
    public void A_cancel_after_the_last_run_ends_the_experiment_before_its_reports()
    {
        // The last run's line comes after its last check: the experiment wrote its table and plots and returned as finished.
        using var stop = new CancellationTokenSource();
        var folder = _feed.Scratch("cancelled-after-last-run");
        void Log(string line)
        {
            if (line.Contains(": test AUC")) stop.Cancel();
        }

        Assert.ThrowsAny<OperationCanceledException>(() => Experiment.Run(new Experiment.Plan(
                new TrainSettings { Epochs = 1, BatchSize = 1024, LearningRate = 5e-3, Dim = 4, Threads = 1, Seed = 3 },
                ["none"], ["gmf"], Repeats: 1, LearningRateRatios: [], Baseline: null, Jobs: 1),
            _feed.Data, _feed.Truth, folder, observer: null, log: Log, cancel: stop.Token));
        Assert.False(File.Exists(Path.Combine(folder, "table.md")));
    }

    [Fact]
    public void A_cancel_after_the_learning_rate_studys_last_run_ends_the_experiment_before_its_report()
    {
        // The main run's reports are written; the study's last run then ends, and lr_ratio.json must not follow a cancel.
        using var stop = new CancellationTokenSource();
        var folder = _feed.Scratch("cancelled-after-study");
        var runs = 0;
        void Log(string line)
        {
            if (line.Contains(": test AUC") && ++runs == 3) stop.Cancel();
        }

        Assert.ThrowsAny<OperationCanceledException>(() => Experiment.Run(new Experiment.Plan(
                new TrainSettings { Epochs = 1, BatchSize = 1024, LearningRate = 5e-3, Dim = 4, Threads = 1, Seed = 3 },
                ["none", "ig"], ["gmf"], Repeats: 1, LearningRateRatios: [1], Baseline: null, Jobs: 1),
            _feed.Data, _feed.Truth, folder, observer: null, log: Log, cancel: stop.Token));
        Assert.True(File.Exists(Path.Combine(folder, "table.md")));
        Assert.False(File.Exists(Path.Combine(folder, RatioStudyJson.FileName)));
    }
}
