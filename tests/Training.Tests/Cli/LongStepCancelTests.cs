using System.Diagnostics;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Tests.Cluster;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// A signal inside one long training step: DNS scoring 100,000 candidates per negative looked at the cancel only between steps,
/// so the run went on past the signal's grace (10 s), was ended by force and left its --out holding its lock.
/// </summary>
[Collection("Console")]
public class LongStepCancelTests(CliFixture files)
{
    [Fact]
    public async Task A_dns_run_signalled_inside_a_step_of_a_hundred_thousand_candidates_stops_in_moments_and_leaves_no_folder()
    {
        var output = files.Scratch("long-dns-step");
        // One step holds the whole small log: its ~90 million candidates take far longer to draw and score than the grace.
        using var train = new CliChild("train", "--data", files.Log, "--out", output, "--epochs", "1", "--method", "dns", "--dns-candidates", "100000");
        await train.Said("training ", TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(3)); // into the step

        var signalled = Stopwatch.StartNew();
        await CliChild.Signal(train.Process.Id, "TERM");
        await train.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        // Before the grace ends, and by the run's own cancel: a forced end's last line is "cancelled: still running 10 s after the
        // signal; ending". (A bound of 5 s, nearer a quiet machine's moments, was passed at a load of 40 with nothing wrong.)
        Assert.True(signalled.Elapsed < TerminationSignals.Grace, $"ended {signalled.Elapsed.TotalSeconds:F1} s after the signal:\n{train.Stderr}");
        Assert.Equal(130, train.Process.ExitCode);
        Assert.EndsWith("\ncancelled", "\n" + train.Stderr.Trim());
        Assert.False(Directory.Exists(output));
        // And the flag's size was said as the run began: 100,000 draws of a catalogue of 400 items at most.
        Assert.Matches(@"--dns-candidates 100,000 is more than the catalogue's \d+ items", train.Stderr);
    }
}
