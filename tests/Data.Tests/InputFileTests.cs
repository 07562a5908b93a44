using InverseLearning.Data.Import;

namespace InverseLearning.Data.Tests;

/// <summary>A folder given where a file is expected is named as such, not as a missing file.</summary>
public class InputFileTests
{
    [Fact]
    public void Folder_missing_and_empty_paths_are_told_apart()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("a.txt"), "x");
        Assert.Null(InputFile.Problem(folder.File("a.txt")));
        Assert.Equal("is a folder, expected a file", InputFile.Problem(folder.Path));
        Assert.Equal("file not found", InputFile.Problem(folder.File("b.txt")));
        Assert.Equal("an empty path, expected a file", InputFile.Problem(""));
    }

    [Fact]
    public void Readers_of_logs_and_ratings_say_folder()
    {
        using var folder = new TempFolder();
        var expected = $"{folder.Path}: is a folder, expected a file";
        Assert.Equal(expected, Assert.Throws<DataException>(() => InteractionLogParquet.Read(folder.Path)).Message);
        Assert.Equal(expected, Assert.Throws<DataException>(() => InteractionLogParquet.CountRows(folder.Path)).Message);
        Assert.Equal(expected, Assert.Throws<DataException>(() => RatingsImporter.Read([new RatingsInput(folder.Path)])).Message);
    }

    [Fact]
    public void A_link_to_nothing_is_named_with_where_it_leads_by_every_reader()
    {
        // File.Exists says true of one: the readers failed at its opening with .NET's "Could not find file".
        using var folder = new TempFolder();
        var link = folder.File("ratings.tsv");
        File.CreateSymbolicLink(link, folder.File("moved-away.tsv"));
        var expected = $"{link}: is a link to {folder.File("moved-away.tsv")}, which does not exist";
        Assert.Equal("is a link to " + folder.File("moved-away.tsv") + ", which does not exist", InputFile.Problem(link, seekable: false));
        Assert.Equal(expected, Assert.Throws<DataException>(() => RatingsImporter.Read([new RatingsInput(link)])).Message);
        Assert.Equal(expected, Assert.Throws<DataException>(() => InteractionLogParquet.Read(link)).Message);
        Assert.Equal(expected, Assert.Throws<DataException>(() => InteractionLogParquet.CountRows(link)).Message);
    }

    [Fact]
    public void A_pipe_opened_through_its_process_file_link_is_taken_as_the_input_it_is()
    {
        // `--input <(zcat ratings.gz)` gives /dev/fd/N: a link the kernel opens to a pipe, though it names no path ("pipe:[N]").
        using var echo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("echo", ["1 2 3"]) { RedirectStandardOutput = true })!;
        var pipe = $"/proc/{Environment.ProcessId}/fd/{((System.IO.Pipes.PipeStream)echo.StandardOutput.BaseStream).SafePipeHandle.DangerousGetHandle()}";

        Assert.Null(InputFile.Problem(pipe, seekable: false));
    }

    [Fact]
    public void A_link_the_kernel_opens_to_an_anonymous_inode_is_no_broken_link()
    {
        // Its target is "anon_inode:inotify", no "name:[N]" of a pipe or socket, and no path either: a watcher's inotify descriptor.
        using var watcher = new FileSystemWatcher(Path.GetTempPath()) { EnableRaisingEvents = true };
        var link = Directory.EnumerateFileSystemEntries($"/proc/{Environment.ProcessId}/fd")
            .FirstOrDefault(entry => new FileInfo(entry).LinkTarget == "anon_inode:inotify");
        Assert.NotNull(link);

        Assert.Null(InputFile.Problem(link, seekable: false));
    }
}
