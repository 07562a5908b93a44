using InverseLearning.Data;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>A run whose --out is removed or moved while it trains stops at its next write, writing nothing where its folder was.</summary>
public sealed class RemovedOutTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    private static TrainSettings Settings => new()
    {
        Model = "gmf", Method = "ns", Epochs = 3, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5,
    };

    [Fact]
    public void A_run_whose_folder_was_removed_and_taken_by_a_second_run_stops_without_writing_into_it()
    {
        // rm -rf of the first run's --out, then a second train into it: the first made the folder again at its next write, and
        // the two wrote one folder (the first's metrics.json beside the second's annotation).
        var dir = Path.Combine(feed.Scratch("removed"), "van4");
        FolderLock? second = null;
        var gone = Assert.Throws<HeldFolderGoneException>(() =>
        {
            using var first = OutputFolder.Lock(dir, "--out");
            TrainingRun.Execute(Settings, feed.Data, feed.Truth, dir, new AtEpochEnd(epoch =>
            {
                if (epoch != 1) return;
                Directory.Delete(dir, recursive: true);
                second = OutputFolder.Lock(dir, "--out");
            }));
        });
        using var held = second!;

        Assert.StartsWith($"--out {dir} was removed while it was being written", gone.Message);
        Assert.Equal([OutputFolder.LockFileName], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
        Assert.True(held.StillHeld);
    }

    [Fact]
    public void A_run_whose_folder_was_moved_says_where_and_leaves_no_temporary_there()
    {
        // It gave .NET's "Could not find a part of the path '…/van1/.last.checkpoint.….tmp'" and left that temporary in the moved folder.
        var root = feed.Scratch("moved");
        var (dir, moved) = (Path.Combine(root, "van1"), Path.Combine(root, "van1.moved"));
        var gone = Assert.Throws<HeldFolderGoneException>(() =>
        {
            using var folder = OutputFolder.Lock(dir, "--out");
            TrainingRun.Execute(Settings, feed.Data, feed.Truth, dir, new AtEpochEnd(epoch =>
            {
                if (epoch == 1) Directory.Move(dir, moved);
            }));
        });

        Assert.StartsWith($"--out {dir} was moved to {moved} while it was being written", gone.Message);
        Assert.False(Directory.Exists(dir));
        Assert.DoesNotContain(Directory.GetFiles(moved), file => AtomicFile.IsTemporaryName(Path.GetFileName(file)));
    }
}
