using InverseLearning.Training.Analysis;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>Run alone: <see cref="ForcedExit.Run"/> releases every hold of the process, and would release other tests' folders.</summary>
[CollectionDefinition(nameof(ForcedExitCollection), DisableParallelization = true)]
public sealed class ForcedExitCollection;

/// <summary>
/// A command still running the signal's grace after it is ended by force, with no <c>finally</c> of its own run: a run stuck in a
/// long step left its new --out behind holding only its lock, which README says a stopped run removes.
/// </summary>
[Collection(nameof(ForcedExitCollection))]
public sealed class ForcedExitTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_train_ended_by_force_removes_the_folders_it_made_with_what_it_wrote_and_its_lock()
    {
        var made = Path.Combine(_temp.Path, "runs", "r15");
        using var held = OutputFolder.Lock(made, "--out");
        using var clear = UnfinishedRun.ClearOnForcedExit(held);
        File.WriteAllText(Path.Combine(made, FirstEpochAnnotation.FileName), "{}");

        ForcedExit.Run();

        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "runs")));
    }

    [Fact]
    public void An_experiment_run_ended_by_force_removes_its_folder_and_a_later_release_is_a_no_op()
    {
        var run = Path.Combine(_temp.Path, "experiment", "gmf-ns");
        var claimed = UnfinishedRun.Claim(OutputFolder.Lock(run, "--out"));
        File.WriteAllText(Path.Combine(run, FirstEpochAnnotation.FileName), "{}");

        ForcedExit.Run();
        Assert.False(Directory.Exists(run));
        // The run's own release, should it still come, finds nothing to do: it neither throws nor takes anything of another's.
        Directory.CreateDirectory(run);
        claimed.Dispose();
        Assert.True(Directory.Exists(run));
    }

    [Fact]
    public void A_lock_released_again_leaves_the_lock_of_the_run_that_took_the_folder_since()
    {
        // A release that came twice (the run's own and a forced exit's) deleted, the second time, the lock file of whichever run
        // had taken the folder in between, and with it the folder: another run could then share it.
        var folder = Path.Combine(_temp.Path, "taken-again");
        var first = OutputFolder.Lock(folder, "--out");
        first.Dispose();
        using var second = OutputFolder.Lock(folder, "--out");

        first.Dispose();

        Assert.True(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)));
    }

    [Fact]
    public void A_release_that_fails_does_not_keep_the_others_from_running()
    {
        var ran = false;
        using var registeredFirst = ForcedExit.Register(() => ran = true);
        using var failing = ForcedExit.Register(() => throw new IOException("Input/output error"));

        ForcedExit.Run();

        Assert.True(ran);
    }

    [Fact]
    public void A_release_whose_registration_was_disposed_is_not_run()
    {
        var ran = false;
        ForcedExit.Register(() => ran = true).Dispose();

        ForcedExit.Run();

        Assert.False(ran);
    }

    [Fact]
    public void A_folder_let_go_of_before_is_not_touched_by_a_later_forced_exit()
    {
        var folder = Path.Combine(_temp.Path, "finished");
        using (OutputFolder.Lock(folder, "--out")) File.WriteAllText(Path.Combine(folder, "metrics.json"), "{}");

        ForcedExit.Run();

        Assert.True(File.Exists(Path.Combine(folder, "metrics.json")));
    }
}
