using System.CommandLine;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>The read options a command's data flags give: the memory a log's declared rows are counted against before they are allocated.</summary>
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

        Assert.Equal((300.0 * (1 << 20), "--max-memory 300 MiB"), (limit.Bytes, limit.Name));
    }

    [Fact]
    public void More_than_the_process_may_ever_use_is_capped_at_that()
    {
        var limit = Read(withMaxMemory: true, "--max-memory", "1000T").Memory!;

        Assert.Equal((double)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, limit.Bytes);
        Assert.EndsWith("this process may use at all", limit.Name);
    }

    [Fact]
    public void Without_max_memory_the_machines_memory_limits_it()
    {
        var machine = MemoryBudget.Machine();

        foreach (var limit in new[] { Read(withMaxMemory: false).Memory!, Read(withMaxMemory: true).Memory! })
        {
            Assert.InRange(limit.Bytes, 0.5 * machine.Bytes, 2 * machine.Bytes);
            Assert.EndsWith("this machine has available", limit.Name);
        }
    }
}
