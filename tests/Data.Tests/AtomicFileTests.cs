using System.Diagnostics;

namespace InverseLearning.Data.Tests;

/// <summary>Temporary files a killed writer left behind are removed at the next write; live writers' and other programs' files are not.</summary>
public class AtomicFileTests
{
    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void The_next_write_removes_orphans_of_ended_processes_only()
    {
        using var folder = new TempFolder();
        var orphan = folder.File(AtomicFile.TemporaryName("model.onnx", ExitedProcessId()));
        var live = folder.File(AtomicFile.TemporaryName("checkpoint", Environment.ProcessId));
        var foreign = folder.File("download.part.tmp");
        var lookalike = folder.File(".model.onnx.inverselearning-1-notahexguid.tmp");
        foreach (var file in new[] { orphan, live, foreign, lookalike }) File.WriteAllText(file, "partial");

        AtomicFile.WriteAllText(folder.File("metrics.json"), "{}");

        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(foreign));
        Assert.True(File.Exists(lookalike));
        Assert.Equal("{}", File.ReadAllText(folder.File("metrics.json")));
    }

    [Fact]
    public void Files_written_together_and_cancelled_before_their_renames_leave_the_old_files_and_no_temporary()
    {
        using var folder = new TempFolder();
        var (seen, model) = (folder.File("seen.parquet"), folder.File("model.onnx"));
        File.WriteAllText(seen, "old seen");
        File.WriteAllText(model, "old model");
        using var cancel = new CancellationTokenSource();

        // Cancelled while the last file is written: both are whole in their temporaries, and neither is renamed.
        Assert.ThrowsAny<OperationCanceledException>(() => AtomicFile.WriteTogether([
            (seen, stream => stream.Write("new seen"u8)),
            (model, stream => { stream.Write("new model"u8); cancel.Cancel(); }),
        ], cancel.Token));

        Assert.Equal("old seen", File.ReadAllText(seen));
        Assert.Equal("old model", File.ReadAllText(model));
        Assert.Equal(["model.onnx", "seen.parquet"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_temporary_name_is_hidden_and_marked_as_ours()
    {
        var name = AtomicFile.TemporaryName("interactions.parquet", 1234);
        Assert.Matches($@"^\.interactions\.parquet\.inverselearning-{ProcessLiveness.HostTag}-1234-[0-9a-f]{{32}}\.tmp$", name);
    }

    [Fact]
    public void A_temporary_file_of_another_machine_is_left_though_its_process_runs_nowhere_here()
    {
        // On a volume shared between machines, a process id names a process only on the machine that wrote it.
        using var folder = new TempFolder();
        var elsewhere = folder.File($".model.onnx.inverselearning-otherpod7-{int.MaxValue}-{Guid.NewGuid():N}.tmp");
        var orphan = folder.File(AtomicFile.TemporaryName("model.onnx", int.MaxValue));
        var unnamed = folder.File($".seen.parquet.inverselearning-{int.MaxValue}-{Guid.NewGuid():N}.tmp"); // named before the host was
        foreach (var file in new[] { elsewhere, orphan, unnamed }) File.WriteAllText(file, "partial");

        Assert.Equal(2, AtomicFile.RemoveOrphans(folder.Path));

        Assert.True(File.Exists(elsewhere));
    }

    [Theory]
    [InlineData("pod-7.cluster.local", "pod7clusterlocal")]
    [InlineData("ÉTÉ", "T")]
    [InlineData("...", "host")]
    public void The_host_tag_keeps_the_machine_names_ascii_letters_and_digits(string machine, string tag) =>
        Assert.Equal(tag, ProcessLiveness.TagOf(machine));

    [Fact]
    public void Files_written_together_are_all_written_before_any_is_renamed_into_place()
    {
        using var folder = new TempFolder();
        var (seen, model) = (folder.File("seen.parquet"), folder.File("model.onnx"));
        File.WriteAllText(seen, "old seen");
        File.WriteAllText(model, "old model");

        // The second file fails mid-write: the first, fully written, must not have replaced its old one.
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteTogether([
            (seen, stream => stream.Write("new seen"u8)),
            (model, _ => throw new InvalidOperationException("killed")),
        ]));
        Assert.Equal(("old seen", "old model"), (File.ReadAllText(seen), File.ReadAllText(model)));
        Assert.Equal([model, seen], Directory.GetFiles(folder.Path).Order());

        AtomicFile.WriteTogether([(seen, stream => stream.Write("new seen"u8)), (model, stream => stream.Write("new model"u8))]);
        Assert.Equal(("new seen", "new model"), (File.ReadAllText(seen), File.ReadAllText(model)));
    }

    [Fact]
    public void A_destination_that_is_a_folder_is_refused_before_anything_is_written()
    {
        using var folder = new TempFolder();
        var seen = folder.File("seen.parquet");
        File.WriteAllText(seen, "old seen");
        Directory.CreateDirectory(folder.File("model.onnx"));

        var error = Assert.Throws<IOException>(() => AtomicFile.WriteTogether([(seen, stream => stream.Write("new seen"u8)), (folder.File("model.onnx"), stream => stream.Write("m"u8))]));

        Assert.Equal($"{folder.File("model.onnx")} is a folder; expected a file to write or replace", error.Message);
        Assert.Equal("old seen", File.ReadAllText(seen));
        Assert.Equal([seen], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_failed_write_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(folder.File("x.bin"), _ => throw new InvalidOperationException("boom")));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_full_disk_is_told_of_the_file_named_not_of_its_hidden_temporary()
    {
        using var folder = new TempFolder();
        var path = folder.File("model.onnx");
        // .NET's words for ENOSPC, which end with the path of the file being written: here the temporary.
        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => throw new IOException($"No space left on device : '{((FileStream)stream).Name}'")));
        Assert.Equal($"cannot write {path}: No space left on device", error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
