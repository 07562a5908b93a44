using System.CommandLine;

namespace InverseLearning.Training.Cli;

/// <summary>`--max-memory SIZE`: the memory a run may take, instead of the machine's; runs estimated above it are refused before allocating.</summary>
public static class MaxMemoryOption
{
    public static Option<string> Create() => new("--max-memory")
    {
        Description = "memory the run may take, e.g. 8G or 500M (default: the machine's); a run estimated to need more is refused before it allocates",
    };

    public static MemoryBudget Read(ParseResult parse, Option<string> option) => MemoryBudget.Parse(parse.GetValue(option));
}
