namespace InverseLearning.Data.Tests;

/// <summary>A write into a held folder removed or moved while held stops in one line, and writes nothing where the folder was.</summary>
public class HeldFoldersTests
{
    [Fact]
    public void A_held_folder_removed_and_made_again_by_another_run_is_not_written_into()
    {
        using var root = new TempFolder();
        var folder = root.File("van4");
        using var held = Hold(folder, out var lockFile);
        AtomicFile.WriteAllText(Path.Combine(folder, "metrics.json"), "{}");

        Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ".lock"), ""); // the second run's lock
        var gone = Assert.Throws<HeldFolderGoneException>(() => AtomicFile.WriteAllText(Path.Combine(folder, "metrics.json"), "{}"));

        Assert.StartsWith("--out van4 was removed while it was being written", gone.Message);
        Assert.Equal([".lock"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.False(held.StillHeld);
        lockFile.Dispose();
    }

    [Fact]
    public void A_held_folder_removed_is_not_made_again_by_the_next_write()
    {
        using var root = new TempFolder();
        var folder = root.File("van4");
        using var held = Hold(folder, out var lockFile);

        Directory.Delete(folder, recursive: true);

        Assert.Throws<HeldFolderGoneException>(() => AtomicFile.WriteAllText(Path.Combine(folder, "last.checkpoint"), "x"));
        Assert.False(Directory.Exists(folder));
        lockFile.Dispose();
    }

    [Fact]
    public void A_held_folder_moved_while_a_file_is_written_is_told_with_where_it_went_and_keeps_no_temporary()
    {
        using var root = new TempFolder();
        var (folder, moved) = (root.File("van1"), root.File("van1.moved"));
        using var held = Hold(folder, out var lockFile);

        var gone = Assert.Throws<HeldFolderGoneException>(() => AtomicFile.Write(Path.Combine(folder, "last.checkpoint"), stream =>
        {
            stream.Write("parameters"u8);
            Directory.Move(folder, moved);
        }));

        Assert.StartsWith($"--out van1 was moved to {moved} while it was being written", gone.Message);
        Assert.Equal([".lock"], Directory.GetFileSystemEntries(moved).Select(Path.GetFileName));
        Assert.False(Directory.Exists(folder));
        lockFile.Dispose();
    }

    [Fact]
    public void A_held_folder_left_in_place_is_written_and_its_registration_ends_with_its_hold()
    {
        using var root = new TempFolder();
        var folder = root.File("run");
        var held = Hold(folder, out var lockFile);
        Assert.True(held.StillHeld);
        held.Dispose();
        lockFile.Dispose();

        // Released: the folder is a plain one again, which a write makes when it is missing.
        Directory.Delete(folder, recursive: true);
        AtomicFile.WriteAllText(Path.Combine(folder, "metrics.json"), "{}");
        Assert.Equal("{}", File.ReadAllText(Path.Combine(folder, "metrics.json")));
    }

    private static HeldFolder Hold(string folder, out FileStream lockFile)
    {
        Directory.CreateDirectory(folder);
        lockFile = new FileStream(Path.Combine(folder, ".lock"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        return HeldFolders.Register(folder, lockFile, $"--out {Path.GetFileName(folder)}");
    }
}
