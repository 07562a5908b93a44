using System.CommandLine;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>Runs a CLI verb in-process with stdout and stderr captured (tests using it join the "Console" collection).</summary>
internal static class CliRunner
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var verb in Verbs.All()) root.Subcommands.Add(verb);
        var (output, error) = (new StringWriter(), new StringWriter());
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            return (root.Parse(args).Invoke(), output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
