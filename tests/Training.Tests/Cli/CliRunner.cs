using System.CommandLine;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>Runs the command line in-process with stdout and stderr captured (tests using it join the "Console" collection).</summary>
public static class CliRunner
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

    /// <summary>Asserts a run failed with exit code 1 and one error line holding <paramref name="expected"/>, no stack trace.</summary>
    public static void AssertOneLineFailure((int Code, string Output, string Error) run, string expected)
    {
        Assert.Equal(1, run.Code);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:")).ToList();
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", run.Error);
    }

    /// <summary>Exit code 130 means the run passed validation and was cancelled after <paramref name="budget"/>.</summary>
    public static (int Code, string Output, string Error) Run(TimeSpan budget, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            using var cancel = new CancellationTokenSource(budget);
            var run = CliApp.RunAsync(args, cancel.Token);
            // A verb that ignores cancellation and keeps running is a failure of its own.
            if (!run.Wait(budget + TimeSpan.FromSeconds(60)))
                return (-1, output.ToString(), $"did not finish within {budget + TimeSpan.FromSeconds(60)} after cancellation");
            return (run.Result, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
