namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>experiment --jobs: runs trained at once give what one after another gives.</summary>
public class ExperimentJobsTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public ExperimentJobsTests(TinyFeed feed) => _feed = feed;

    private Experiment.Outcome Run(int jobs) =>
        Experiment.Run(new Experiment.Plan(
                new TrainSettings { Epochs = 1, BatchSize = 1024, LearningRate = 5e-3, Dim = 8, Threads = 1, Seed = 3 },
                ["none", "ns", "ig"], ["gmf"], Repeats: 2, LearningRateRatios: [], Baseline: "none", Jobs: jobs),
            _feed.Data, _feed.Truth, _feed.Scratch($"jobs{jobs}"), observer: null, log: _ => { });

    [Fact]
    public void Three_jobs_give_the_results_of_one_in_the_plans_order()
    {
        var alone = Run(jobs: 1);
        var together = Run(jobs: 3);

        Assert.Equal(alone.Runs.Select(r => (r.Model, r.Method, r.Seed)), together.Runs.Select(r => (r.Model, r.Method, r.Seed)));
        Assert.Equal(alone.Runs.Select(r => r.Test), together.Runs.Select(r => r.Test));
        Assert.Equal(alone.Runs.Select(r => r.CleanTest), together.Runs.Select(r => r.CleanTest));
        Assert.Equal(alone.Comparisons.Select(c => c.Difference.Mean), together.Comparisons.Select(c => c.Difference.Mean));
        Assert.Equal(6, together.Runs.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void A_job_count_out_of_range_is_refused(int jobs)
    {
        var error = Assert.Throws<ArgumentException>(() => Run(jobs));

        Assert.Contains($"--jobs must be from 1 to 64, got {jobs}", error.Message);
    }
}
