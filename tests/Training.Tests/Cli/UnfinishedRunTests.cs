using InverseLearning.Training.Analysis;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>What a run stopped before its first last.checkpoint removes from its folder: what it made, never what it replaced.</summary>
public sealed class UnfinishedRunTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string In(string name) => _temp.File(name);

    [Fact]
    public void What_the_run_made_is_removed_and_the_earlier_files_stay()
    {
        File.WriteAllText(In("notes.txt"), "the user's");
        using var held = OutputFolder.Lock(_temp.Path, "--out");
        File.WriteAllText(In(FirstEpochAnnotation.FileName), "{}");
        File.WriteAllText(In(Checkpoint.BestFileName), "the run's best inside epoch 1");

        Assert.False(UnfinishedRun.ClearUnlessResumable(held));

        Assert.False(File.Exists(In(FirstEpochAnnotation.FileName)));
        Assert.False(File.Exists(In(Checkpoint.BestFileName)));
        Assert.Equal("the user's", File.ReadAllText(In("notes.txt")));
    }

    [Fact]
    public void A_folder_removed_and_taken_by_another_run_is_left_to_that_run()
    {
        // The first run's folder was removed (rm -rf) and a second run made and locked it again: the first, stopping, cleared the
        // second's epoch-1 annotation as its own, and deleted the second's lock file as the one it had made.
        var folder = In("van4");
        var first = OutputFolder.Lock(folder, "--out");
        Directory.Delete(folder, recursive: true);
        using var second = OutputFolder.Lock(folder, "--out");

        Assert.False(first.StillHeld);
        Assert.False(UnfinishedRun.ClearUnlessResumable(first));
        first.Dispose();
        Assert.True(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)));
        Assert.True(second.StillHeld);

        File.WriteAllText(Path.Combine(folder, FirstEpochAnnotation.FileName), "the second run's");
        Assert.False(UnfinishedRun.ClearUnlessResumable(first));
        Assert.Equal("the second run's", File.ReadAllText(Path.Combine(folder, FirstEpochAnnotation.FileName)));
    }

    [Fact]
    public void A_best_checkpoint_the_run_replaced_is_kept_and_said()
    {
        // A fresh run over a finished one's folder, cancelled after --eval-every saved its best inside epoch 1: deleting that file
        // left the earlier run's last.checkpoint without its best (neither --resume nor export could use the folder).
        File.WriteAllText(In(Checkpoint.BestFileName), "the earlier run's best");
        File.WriteAllText(In(Checkpoint.LastFileName), "the earlier run's last");
        // Written by an earlier run, as the files' times say: written within the lock's clock tick, they would read as this run's.
        foreach (var name in new[] { Checkpoint.BestFileName, Checkpoint.LastFileName }) File.SetLastWriteTimeUtc(In(name), DateTime.UtcNow.AddMinutes(-5));
        using var held = OutputFolder.Lock(_temp.Path, "--out");
        File.WriteAllText(In(Checkpoint.BestFileName), "the new run's best inside epoch 1");
        File.WriteAllText(In(FirstEpochAnnotation.FileName), "{}");

        Assert.True(UnfinishedRun.ClearUnlessResumable(held));

        Assert.Equal("the new run's best inside epoch 1", File.ReadAllText(In(Checkpoint.BestFileName)));
        Assert.Equal("the earlier run's last", File.ReadAllText(In(Checkpoint.LastFileName)));
        Assert.False(File.Exists(In(FirstEpochAnnotation.FileName)));
    }

    [Fact]
    public void A_run_with_its_own_last_checkpoint_keeps_everything()
    {
        using var held = OutputFolder.Lock(_temp.Path, "--out");
        File.WriteAllText(In(FirstEpochAnnotation.FileName), "{}");
        File.WriteAllText(In(Checkpoint.BestFileName), "best");
        File.WriteAllText(In(Checkpoint.LastFileName), "last");

        Assert.True(UnfinishedRun.ClearUnlessResumable(held));

        Assert.True(File.Exists(In(FirstEpochAnnotation.FileName)));
        Assert.True(File.Exists(In(Checkpoint.BestFileName)));
    }
}
