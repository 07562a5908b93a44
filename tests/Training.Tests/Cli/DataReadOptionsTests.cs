using System.CommandLine;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// The read options a command's data flags give: the memory a log's declared rows are counted against before they are allocated,
/// the process's own (what a run's estimate counts before any log) taken off, so that a log the budget cannot hold is refused before it is read.
/// </summary>
public class DataReadOptionsTests
{
    private static InverseLearning.Data.ReadOptions Read(bool withMaxMemory, params string[] args)
    {
        var command = new Command("verb");
        var data = new DataOptions();
        data.AddTo(command);
        if (withMaxMemory) command.Options.Add(MaxMemoryOption.Create());
        return data.ToReadOptions(command.Parse(["--data", "log.parquet", .. args]));
    }

    [Fact]
    public void A_commands_max_memory_limits_what_a_read_may_hold()
    {
        var limit = Read(withMaxMemory: true, "--max-memory", "300M").Memory!;

        Assert.Equal((100.0 * (1 << 20), "--max-memory 300 MiB less the 200 MiB the process and runtimes take"), (limit.Bytes, limit.Name));
        Assert.Equal(0, Read(withMaxMemory: true, "--max-memory", "150M").Memory!.Bytes);
    }

    [Fact]
    public void More_than_the_process_may_ever_use_is_capped_at_that()
    {
        var limit = Read(withMaxMemory: true, "--max-memory", "1000T").Memory!;

        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - RunMemoryEstimate.BaselineBytes, limit.Bytes);
        Assert.EndsWith("this process may use at all less the 200 MiB the process and runtimes take", limit.Name);
    }

    [Fact]
    public void Without_max_memory_the_machines_memory_limits_it()
    {
        var machine = MemoryBudget.Machine();

        foreach (var limit in new[] { Read(withMaxMemory: false).Memory!, Read(withMaxMemory: true).Memory! })
        {
            Assert.InRange(limit.Bytes, 0.5 * machine.Bytes - RunMemoryEstimate.BaselineBytes, 2 * machine.Bytes);
            Assert.EndsWith("this machine has available less the 200 MiB the process and runtimes take", limit.Name);
        }
    }
}
