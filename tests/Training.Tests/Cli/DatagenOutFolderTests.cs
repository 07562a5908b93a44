using InverseLearning.Data;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// datagen's --out taken as the other verbs take theirs: a folder a running verb holds is refused, not replaced under it with its
/// lock, and a folder inside another dataset (a lake, a datagen's folder) is refused, not made one of its parts.
/// </summary>
[Collection("Console")]
public class DatagenOutFolderTests
{
    [Fact]
    public void A_folder_another_run_holds_is_refused_and_left_as_it_was()
    {
        using var folder = new TempFolder();
        var dir = folder.File("held");
        Assert.Equal(0, CliRunner.Run("datagen", "--preset", "tiny", "--out", dir).Code);
        var written = Contents(dir);
        var lockFile = Path.Combine(dir, ".lock");

        using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            CliRunner.AssertOneLineFailure(CliRunner.Run("datagen", "--preset", "tiny", "--seed", "2", "--out", dir),
                $"error: --out {dir} is in use by another run (it holds {lockFile}); wait for it to finish or choose another --out");
            Assert.Equal(written, Contents(dir));
            Assert.True(File.Exists(lockFile));
        }

        // Its holder gone, the lock file it left holds nothing: the folder is datagen's to replace again.
        var replaced = CliRunner.Run("datagen", "--preset", "tiny", "--seed", "2", "--out", dir);
        Assert.True(replaced.Code == 0, replaced.Error);
        Assert.NotEqual(written, Contents(dir));
    }

    [Theory]
    [InlineData("sim2")]
    [InlineData("day=2024-01-01/g")]
    public void A_folder_inside_a_lake_is_refused_and_the_lake_keeps_only_its_parts(string below)
    {
        using var folder = new TempFolder();
        var lake = folder.File("lake");
        var part = Path.Combine(lake, "day=2024-01-01", "part-0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        var log = new InteractionLog(2);
        (log.UserId[1], log.ItemId[1]) = (1, 1);
        InteractionLogParquet.Write(log, part);
        var dir = Path.Combine(lake, below);

        var run = CliRunner.Run("datagen", "--preset", "tiny", "--out", dir);

        CliRunner.AssertOneLineFailure(run, $"error: --out {dir} is inside {lake}");
        Assert.Contains("the simulated log and its ground truth written there would be read as one of its parts", run.Error);
        Assert.Equal([part], Directory.GetFileSystemEntries(lake, "*", SearchOption.AllDirectories).Where(File.Exists));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void A_folder_inside_another_datagens_is_refused_and_its_own_is_replaced()
    {
        using var folder = new TempFolder();
        var outer = folder.File("outer");
        Assert.Equal(0, CliRunner.Run("datagen", "--preset", "tiny", "--out", outer).Code);
        var inner = Path.Combine(outer, "inner");

        var run = CliRunner.Run("datagen", "--preset", "tiny", "--out", inner);

        CliRunner.AssertOneLineFailure(run, $"error: --out {inner} is inside {outer}, a datagen's log (its ground truth is there)");
        Assert.False(Directory.Exists(inner));
        var again = CliRunner.Run("datagen", "--preset", "tiny", "--seed", "2", "--out", outer);
        Assert.True(again.Code == 0, again.Error);
    }

    // The files of a folder by name, with their bytes (the lock file aside: a holder's, not the simulation's).
    private static Dictionary<string, string> Contents(string dir) =>
        Directory.GetFiles(dir).Where(path => Path.GetFileName(path) != ".lock")
            .ToDictionary(path => Path.GetFileName(path), path => Convert.ToBase64String(File.ReadAllBytes(path)));
}
