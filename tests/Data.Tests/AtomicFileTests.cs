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
    public void A_temporary_name_is_hidden_and_marked_as_ours()
    {
        var name = AtomicFile.TemporaryName("interactions.parquet", 1234);
        Assert.Matches(@"^\.interactions\.parquet\.inverselearning-1234-[0-9a-f]{32}\.tmp$", name);
    }

    [Fact]
    public void A_failed_write_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(folder.File("x.bin"), _ => throw new InvalidOperationException("boom")));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
