using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>`experiment --jobs N` without --threads gives each run its share of the cores, not every core N times over.</summary>
[Collection("Console")]
public class ExperimentThreadsTests(CliFixture files)
{
    private int ThreadsOfARun(string name, params string[] extra)
    {
        var outDir = files.Scratch(name);
        var (code, _, error) = CliRunner.Run(TimeSpan.FromMinutes(2),
            ["experiment", "--data", files.Log, "--out", outDir, "--methods", "none", "--models", "gmf", "--repeats", "2", "--epochs", "1", "--batch-size", "256", .. extra]);
        Assert.True(code == 0, error);
        var checkpoint = Directory.GetFiles(outDir, "checkpoint", SearchOption.AllDirectories).First();
        return Checkpoint.ReadHeader(checkpoint).Run.Settings.Threads;
    }

    [Fact]
    public void Jobs_without_threads_share_the_cores()
    {
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), ThreadsOfARun("jobs-share", "--jobs", "2"));
    }

    [Fact]
    public void More_jobs_than_runs_share_the_cores_among_the_runs_there_are()
    {
        // Two runs (--repeats 2) with --jobs 8: the cores go to the two, not to eight of which six never start.
        var (code, _, error) = CliRunner.Run(TimeSpan.FromMinutes(2),
            ["experiment", "--data", files.Log, "--out", files.Scratch("jobs-past-runs"), "--methods", "none", "--models", "gmf", "--repeats", "2", "--epochs", "1",
                "--batch-size", "256", "--jobs", "8"]);
        Assert.True(code == 0, error);
        Assert.Contains($"2 runs at once, {InverseLearning.Data.Counted.Of(Math.Max(1, Environment.ProcessorCount / 2), "ORT thread")} each", error);
        Assert.Equal(2, new Experiment.Plan(new TrainSettings(), ["none"], ["gmf"], Repeats: 2, LearningRateRatios: [1, 10], Jobs: 8).RunsAtOnce);
        Assert.Equal(3, new Experiment.Plan(new TrainSettings(), ["none", "ns"], ["gmf", "mlp"], Repeats: 2, LearningRateRatios: [], Jobs: 3).RunsAtOnce);
    }

    [Fact]
    public void A_memory_refusal_names_what_all_the_runs_at_once_need_so_that_budget_passes()
    {
        // Checked run by run, each refusal named a smaller run's need, and a budget raised to it was refused again for the next.
        (int Code, string Error) Run(string memory) =>
            CliRunner.Run(TimeSpan.FromMinutes(2), ["experiment", "--data", files.Log, "--out", files.Scratch("memory-" + memory), "--methods", "none,dns", "--models", "gmf,neumf",
                "--epochs", "1", "--batch-size", "256", "--jobs", "2", "--max-memory", memory]) is var (code, _, error) ? (code, error) : default;
        static string Above(string error) =>
            $"{Math.Ceiling(double.Parse(System.Text.RegularExpressions.Regex.Match(error, @"need about ([0-9.]+) MiB").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) + 1}M";

        // From a budget far too small, raised each time to the need the refusal names: the check before the log is read is a
        // lower bound (one user, one item), the one after it names the whole need, so two raises at most reach a budget that passes.
        var (code, error) = Run("1M");
        var raises = 0;
        for (; code != 0 && raises < 6; raises++)
        {
            Assert.Contains("2 runs at once need about", error);
            (code, error) = Run(Above(error));
        }
        Assert.True(code == 0, error);
        Assert.InRange(raises, 1, 2);
    }

    [Fact]
    public void Threads_given_are_kept_whatever_the_jobs()
    {
        Assert.Equal(3, ThreadsOfARun("jobs-given", "--jobs", "2", "--threads", "3"));
    }
}
