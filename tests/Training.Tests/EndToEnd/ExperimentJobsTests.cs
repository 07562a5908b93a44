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

    /// <summary>
    /// Three runs two at a time, the first at its folder's claim held there until the two others have printed their start lines
    /// (the second run's job trains it and starts the third): the lines print runs 1, 2 and 3 in that order. Numbered as each run
    /// began, before its reuse check and its claim, the held run printed its number, 1 or 2, after the third's 3.
    /// </summary>
    [Fact]
    public void Start_lines_print_in_the_order_of_their_numbers_when_a_run_is_slow_to_start()
    {
        var claims = 0;
        var started = 0;
        using var othersStarted = new ManualResetEventSlim();
        var numbers = new System.Collections.Concurrent.ConcurrentQueue<int>();
        IDisposable Claim(string _)
        {
            if (Interlocked.Increment(ref claims) == 1) Assert.True(othersStarted.Wait(TimeSpan.FromMinutes(2)), "the two other runs never printed their start lines");
            return new NothingHeld();
        }
        void Log(string line)
        {
            if (System.Text.RegularExpressions.Regex.Match(line, @": run (\d) of 3 ") is not { Success: true } start) return;
            numbers.Enqueue(int.Parse(start.Groups[1].Value));
            if (Interlocked.Increment(ref started) == 2) othersStarted.Set();
        }

        Experiment.Run(new Experiment.Plan(new TrainSettings { Epochs = 1, BatchSize = 1024, LearningRate = 5e-3, Dim = 4, Threads = 1, Seed = 3 },
                ["none"], ["gmf"], Repeats: 3, LearningRateRatios: [], Jobs: 2),
            _feed.Data, _feed.Truth, _feed.Scratch("numbered-as-printed"), observer: null, log: Log, claimRunFolder: Claim);

        Assert.Equal([1, 2, 3], numbers);
    }

    // A claim that holds no lock: the test's claim only holds a run back.
    private sealed class NothingHeld : IDisposable
    {
        public void Dispose() { }
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
